// test_batch: a batched node; writes the size of the batch each frame came in
// and how many distinct streams that batch held.
#include <set>

#include <neuropipe/plugin/sdk.hpp>

namespace np = neuropipe;

class Batch : public np::plugin::Node {
 public:
  explicit Batch(const np::plugin::Params&) {}
  void process(np::Frame& frame, np::plugin::Context& ctx) override {
    np::Frame* one[] = {&frame};
    process_batch(one, ctx);
  }
  void process_batch(std::span<np::Frame* const> frames, np::plugin::Context& ctx) override {
    std::set<int> streams;
    for (auto* f : frames) streams.insert(f->origin().stream_id);
    for (auto* f : frames) {
      auto info = std::make_shared<np::JsonMetadata>();
      info->kind_name = "batch";
      info->value = {{"size", frames.size()}, {"streams", streams.size()}};
      f->put(ctx.node_name(), info);
    }
  }
};

NEUROPIPE_PLUGIN(Batch, {.name = "test_batch",
                         .version = "1.0.0",
                         .description = "records batch sizes",
                         .writes = {"batch"},
                         .batched = true});
