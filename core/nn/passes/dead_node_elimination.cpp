// Drops nodes none of whose outputs reach a graph output, then the constants
// nobody reads any more (e.g. weights consumed only by folded nodes), so the
// Model does not keep memory it will never use.
#include "nn/passes/pass.hpp"

namespace neuropipe::nn {

namespace {

class DeadNodeElimination final : public Pass {
 public:
  const char* name() const override { return "dead-node-elimination"; }
  bool run(Graph& g, const PassContext&) const override {
    std::vector<bool> used(g.values.size(), false);
    for (int o : g.outputs) used[o] = true;
    std::vector<bool> live(g.nodes.size(), false);
    for (size_t i = g.nodes.size(); i-- > 0;) {
      const Node& n = g.nodes[i];
      for (int o : n.outputs)
        if (o != kNoValue && used[o]) live[i] = true;
      if (!live[i]) continue;
      for (int v : n.inputs)
        if (v != kNoValue) used[v] = true;
      for (int v : n.captures) used[v] = true;
    }
    std::vector<Node> kept;
    for (size_t i = 0; i < g.nodes.size(); ++i)
      if (live[i]) kept.push_back(std::move(g.nodes[i]));
    bool changed = kept.size() != g.nodes.size();
    g.nodes = std::move(kept);
    for (size_t v = 0; v < g.values.size(); ++v)
      if (!used[v] && g.values[v].constant) g.values[v].constant.reset();
    return changed;
  }
};

}  // namespace

std::unique_ptr<Pass> make_dead_node_elimination_pass() { return std::make_unique<DeadNodeElimination>(); }

}  // namespace neuropipe::nn
