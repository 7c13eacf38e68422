// test_reader: needs "detections" from an upstream node (the validator must
// refuse a pipeline where nothing upstream writes them).
#include <neuropipe/plugin/sdk.hpp>

namespace np = neuropipe;

class Reader : public np::plugin::Node {
 public:
  explicit Reader(const np::plugin::Params&) {}
  void process(np::Frame& frame, np::plugin::Context&) override {
    if (!frame.latest<np::Detections>()) throw np::Error("no detections on frame");
  }
};

NEUROPIPE_PLUGIN(Reader, {.name = "test_reader",
                          .version = "1.0.0",
                          .description = "reads detections",
                          .reads = {"detections", "mask?"},
                          .concurrent = true});
