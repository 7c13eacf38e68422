#include <spdlog/spdlog.h>

#include "nn/passes/pass.hpp"

namespace neuropipe::nn {

std::vector<std::unique_ptr<Pass>> default_passes(const LoadOptions& /*options: gates fusion passes to come*/) {
  std::vector<std::unique_ptr<Pass>> passes;
  passes.push_back(make_remove_identity_pass());
  passes.push_back(make_constant_folding_pass());
  passes.push_back(make_dead_node_elimination_pass());
  return passes;
}

void run_passes(Graph& graph, const PassContext& ctx) {
  for (const auto& pass : default_passes(ctx.options)) {
    size_t before = graph.nodes.size();
    if (pass->run(graph, ctx))
      spdlog::debug("{}: pass {} changed the graph ({} -> {} nodes)", ctx.model_name, pass->name(), before,
                    graph.nodes.size());
  }
}

void replace_uses(Graph& graph, int from, int to) {
  for (Node& n : graph.nodes) {
    for (int& v : n.inputs)
      if (v == from) v = to;
    for (int& v : n.captures)
      if (v == from) v = to;
  }
}

}  // namespace neuropipe::nn
