// test_sleep: sleeps a random time in [min_ms, max_ms] and records how many
// calls of this node were running at once (the runtime's bounds are checked
// against it). Concurrent, so the scheduler may run it on many frames.
#include <atomic>
#include <chrono>
#include <random>
#include <thread>

#include <neuropipe/plugin/sdk.hpp>

namespace np = neuropipe;

class Sleep : public np::plugin::Node {
 public:
  explicit Sleep(const np::plugin::Params& p)
      : min_ms_(p.get<int>("min_ms")), max_ms_(p.get<int>("max_ms")) {}
  void process(np::Frame& frame, np::plugin::Context& ctx) override {
    const int now = ++running_;
    thread_local std::mt19937 rng(std::random_device{}());
    const int ms = std::uniform_int_distribution<int>(min_ms_, std::max(min_ms_, max_ms_))(rng);
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    auto probe = std::make_shared<np::JsonMetadata>();
    probe->kind_name = "probe";
    probe->value = {{"running", now}, {"slept_ms", ms}};
    frame.put(ctx.node_name(), probe);
    --running_;
  }

 private:
  int min_ms_, max_ms_;
  std::atomic<int> running_{0};
};

NEUROPIPE_PLUGIN(Sleep,
                 {.name = "test_sleep",
                  .version = "1.0.0",
                  .description = "sleeps; records concurrency",
                  .params = {np::plugin::param::integer("min_ms", 0, "shortest sleep").between(0, 10000),
                             np::plugin::param::integer("max_ms", 0, "longest sleep").between(0, 10000)},
                  .writes = {"probe"},
                  .concurrent = true});
