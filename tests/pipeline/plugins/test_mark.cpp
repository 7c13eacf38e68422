// test_mark: attaches {"node": NAME, "frame": INDEX} as "mark" metadata, so a
// join node and the tests can see which branches ran on a frame.
#include <neuropipe/plugin/sdk.hpp>

namespace np = neuropipe;

class Mark : public np::plugin::Node {
 public:
  explicit Mark(const np::plugin::Params&) {}
  void process(np::Frame& frame, np::plugin::Context& ctx) override {
    auto mark = std::make_shared<np::JsonMetadata>();
    mark->kind_name = "mark";
    mark->value = {{"node", ctx.node_name()}, {"frame", frame.origin().index}};
    frame.put(ctx.node_name(), mark);
  }
};

NEUROPIPE_PLUGIN(Mark, {.name = "test_mark",
                        .version = "1.0.0",
                        .description = "marks frames it saw",
                        .writes = {"mark"},
                        .concurrent = true});
