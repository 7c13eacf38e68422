// test_image: replaces the pixels (inverts them); `level` is a ranged
// parameter and `reads` names "detections" when `needs_detections` flavour is
// built, so validation errors have something to point at.
#include <neuropipe/plugin/sdk.hpp>
#include <opencv2/core.hpp>

namespace np = neuropipe;

class Invert : public np::plugin::Node {
 public:
  explicit Invert(const np::plugin::Params& p) : level_(p.get<int>("level")) {}
  void process(np::Frame& frame, np::plugin::Context&) override {
    cv::Mat out;
    cv::subtract(cv::Scalar::all(level_), frame.image(), out);
    frame.set_image(out);
  }

 private:
  int level_;
};

NEUROPIPE_PLUGIN(
    Invert, {.name = "test_image",
             .version = "1.0.0",
             .description = "inverts pixels",
             .params = {np::plugin::param::integer("level", 255, "value subtracted from").between(0, 255),
                        np::plugin::param::text("mode", "full", "how").one_of({"full", "half"})},
             .reads = {"detections?"},
             .writes = {"image"},
             .concurrent = true});
