// test_ordered: a stateful node; fails when a stream's frames arrive out of
// order or when two calls overlap. It declares itself `concurrent` as well:
// the runtime's promise to `ordered` nodes (one frame at a time, in order)
// must hold even then.
#include <atomic>
#include <chrono>
#include <map>
#include <thread>

#include <neuropipe/plugin/sdk.hpp>

namespace np = neuropipe;

class Ordered : public np::plugin::Node {
 public:
  explicit Ordered(const np::plugin::Params&) {}
  void process(np::Frame& frame, np::plugin::Context& ctx) override {
    if (inside_.fetch_add(1) != 0) {
      inside_.fetch_sub(1);
      throw np::Error("frame " + std::to_string(frame.origin().index) + " overlaps another call");
    }
    // Long enough for a call on another thread to overlap this one if the
    // runtime allowed it.
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    auto [it, fresh] = last_.emplace(frame.origin().stream_id, -1);
    const bool in_order = frame.origin().index > it->second;
    const int64_t before = it->second;
    it->second = std::max(it->second, frame.origin().index);
    inside_.fetch_sub(1);
    if (!in_order)
      throw np::Error("frame " + std::to_string(frame.origin().index) + " after " + std::to_string(before));
    auto seen = std::make_shared<np::JsonMetadata>();
    seen->kind_name = "order";
    seen->value = frame.origin().index;
    frame.put(ctx.node_name(), seen);
  }

 private:
  std::atomic<int> inside_{0};
  std::map<int, int64_t> last_;
};

NEUROPIPE_PLUGIN(Ordered, {.name = "test_ordered",
                           .version = "1.0.0",
                           .description = "checks frame order",
                           .writes = {"order"},
                           .concurrent = true,
                           .ordered = true});
