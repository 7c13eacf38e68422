#pragma once
// Graph-to-graph rewrites run once at load, between import and planning.
// A pass is one small class in its own file; speed work (fusion, layout,
// weight packing) adds passes to default_passes() without touching the rest.
#include <memory>
#include <string>
#include <vector>

#include "neuropipe/nn/model.hpp"
#include "nn/graph.hpp"

namespace neuropipe::nn {

struct PassContext {
  std::string model_name;
  LoadOptions options;
};

class Pass {
 public:
  virtual ~Pass() = default;
  virtual const char* name() const = 0;
  // Returns true when the graph changed.
  virtual bool run(Graph& graph, const PassContext& ctx) const = 0;
};

std::unique_ptr<Pass> make_remove_identity_pass();
std::unique_ptr<Pass> make_constant_folding_pass();
std::unique_ptr<Pass> make_dead_node_elimination_pass();

// The passes every model gets, in order.
std::vector<std::unique_ptr<Pass>> default_passes(const LoadOptions& options);
void run_passes(Graph& graph, const PassContext& ctx);

// Replaces every read of `from` by `to` (node inputs and subgraph captures).
void replace_uses(Graph& graph, int from, int to);

}  // namespace neuropipe::nn
