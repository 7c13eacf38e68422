#pragma once
// The NeuroPipe plugin SDK: everything a plugin author includes.
//
//   #include <neuropipe/plugin/sdk.hpp>
//   namespace np = neuropipe;
//
//   class Invert : public np::plugin::Node {
//    public:
//     explicit Invert(const np::plugin::Params& p) : strength_(p.get<double>("strength")) {}
//     void process(np::Frame& frame, np::plugin::Context&) override {
//       cv::Mat out;
//       cv::addWeighted(frame.image(), 1 - strength_, cv::Scalar::all(255) - frame.image(), strength_, 0, out);
//       frame.set_image(out);
//     }
//    private:
//     double strength_;
//   };
//
//   NEUROPIPE_PLUGIN(Invert, {.name = "invert", .version = "1.0.0", .description = "Inverts colours",
//                             .params = {np::plugin::param::real("strength", 1.0, "0..1").between(0, 1)},
//                             .writes = {"image"}, .concurrent = true});
//
// Build it with find_package(NeuroPipe) + neuropipe_add_plugin(invert invert.cpp).
// docs/writing-plugins.md walks through a complete example.
#include "neuropipe/error.hpp"
#include "neuropipe/frame.hpp"
#include "neuropipe/metadata.hpp"
#include "neuropipe/plugin/context.hpp"
#include "neuropipe/plugin/description.hpp"
#include "neuropipe/plugin/entry.hpp"
#include "neuropipe/plugin/node.hpp"
#include "neuropipe/plugin/param_spec.hpp"
#include "neuropipe/plugin/params.hpp"
