// test_count: numbers its instances (1, 2, ... per process) and attaches
// {"instance": N, "frame": INDEX} as "count" metadata, so a test sees how
// often a command created the node (batch must create it once per folder).
#include <atomic>

#include <neuropipe/plugin/sdk.hpp>

namespace np = neuropipe;

namespace {
std::atomic<int> instances_made{0};
}

class Count : public np::plugin::Node {
 public:
  explicit Count(const np::plugin::Params&) : instance_(++instances_made) {}
  void process(np::Frame& frame, np::plugin::Context& ctx) override {
    auto count = std::make_shared<np::JsonMetadata>();
    count->kind_name = "count";
    count->value = {{"instance", instance_}, {"frame", frame.origin().index}};
    frame.put(ctx.node_name(), count);
  }

 private:
  const int instance_;
};

NEUROPIPE_PLUGIN(Count, {.name = "test_count",
                         .version = "1.0.0",
                         .description = "numbers its instances",
                         .writes = {"count"},
                         .concurrent = true});
