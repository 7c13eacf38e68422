// test_ordered: a stateful node; fails when a stream's frames arrive out of
// order (the runtime promises order to nodes flagged `ordered`).
#include <map>

#include <neuropipe/plugin/sdk.hpp>

namespace np = neuropipe;

class Ordered : public np::plugin::Node {
 public:
  explicit Ordered(const np::plugin::Params&) {}
  void process(np::Frame& frame, np::plugin::Context& ctx) override {
    auto [it, fresh] = last_.emplace(frame.origin().stream_id, -1);
    if (frame.origin().index <= it->second)
      throw np::Error("frame " + std::to_string(frame.origin().index) + " after " +
                      std::to_string(it->second));
    it->second = frame.origin().index;
    auto seen = std::make_shared<np::JsonMetadata>();
    seen->kind_name = "order";
    seen->value = frame.origin().index;
    frame.put(ctx.node_name(), seen);
  }

 private:
  std::map<int, int64_t> last_;
};

NEUROPIPE_PLUGIN(Ordered, {.name = "test_ordered",
                           .version = "1.0.0",
                           .description = "checks frame order",
                           .writes = {"order"},
                           .ordered = true});
