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
std::unique_ptr<Pass> make_remove_noop_pass();
std::unique_ptr<Pass> make_fold_batchnorm_pass();
std::unique_ptr<Pass> make_fuse_residual_add_pass();
std::unique_ptr<Pass> make_fuse_activation_pass();

// The passes every model gets, in order.
std::vector<std::unique_ptr<Pass>> default_passes(const LoadOptions& options);
void run_passes(Graph& graph, const PassContext& ctx);

// Replaces every read of `from` by `to` (node inputs and subgraph captures).
void replace_uses(Graph& graph, int from, int to);

// How many times nodes read `value` (inputs and subgraph captures; a graph
// output counts as one more reader, since the caller reads it).
int reader_count(const Graph& graph, int value);

// The single node reading `value` (its index), or -1 when there are none or several.
int sole_reader(const Graph& graph, int value);

// True when values `a` and `b` have the same shape on every run: equal ranks,
// and each dim either the same fixed size in both or unknown in both under the
// same non-empty symbolic name (ONNX dim_param, e.g. an exported model's
// "batch"). An anonymous unknown dim never matches, so two shapes that only
// look alike (and might broadcast) are not called equal.
bool same_shape(const Graph& graph, int a, int b);

// A new constant value holding `t` (named after `base`, unique in the graph).
int add_constant(Graph& graph, const std::string& base, Tensor t);

}  // namespace neuropipe::nn
