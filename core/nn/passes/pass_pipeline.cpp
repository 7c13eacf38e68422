#include <spdlog/spdlog.h>

#include "nn/passes/pass.hpp"

namespace neuropipe::nn {

std::vector<std::unique_ptr<Pass>> default_passes(const LoadOptions& options) {
  std::vector<std::unique_ptr<Pass>> passes;
  passes.push_back(make_remove_identity_pass());
  passes.push_back(make_constant_folding_pass());
  if (options.optimize) {  // rewrites that change how (not what) the graph computes
    passes.push_back(make_remove_noop_pass());
    passes.push_back(make_fold_batchnorm_pass());
    passes.push_back(make_fuse_residual_add_pass());  // before activations: Conv -> Add -> Relu
    passes.push_back(make_fuse_activation_pass());
  }
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

int reader_count(const Graph& graph, int value) {
  int readers = graph.is_output(value) ? 1 : 0;
  for (const Node& n : graph.nodes) {
    for (int v : n.inputs) readers += v == value;
    for (int v : n.captures) readers += v == value;
  }
  return readers;
}

int sole_reader(const Graph& graph, int value) {
  if (reader_count(graph, value) != 1 || graph.is_output(value)) return -1;
  for (size_t i = 0; i < graph.nodes.size(); ++i)
    for (int v : graph.nodes[i].inputs)
      if (v == value) return static_cast<int>(i);
  return -1;  // read only by a subgraph capture
}

namespace {

// The symbolic name of unknown dim `d` of `v`, or "" when it has none.
const std::string& dim_name(const Value& v, size_t d) {
  static const std::string anonymous;
  return v.dim_names.size() == v.type.shape->size() ? v.dim_names[d] : anonymous;
}

bool same_dim(const Value& a, const Value& b, size_t d) {
  const int64_t da = (*a.type.shape)[d], db = (*b.type.shape)[d];
  if (da >= 0 || db >= 0) return da == db;
  const std::string& name = dim_name(a, d);
  return !name.empty() && name == dim_name(b, d);
}

}  // namespace

bool same_shape(const Graph& graph, int a, int b) {
  const Value& va = graph.values[a];
  const Value& vb = graph.values[b];
  if (!va.type.shape || !vb.type.shape || va.type.shape->size() != vb.type.shape->size()) return false;
  for (size_t d = 0; d < va.type.shape->size(); ++d)
    if (!same_dim(va, vb, d)) return false;
  return true;
}

int add_constant(Graph& graph, const std::string& base, Tensor t) {
  std::string name = base;
  for (int k = 1; graph.find(name) != kNoValue; ++k) name = base + "_" + std::to_string(k);
  int id = graph.add_value(name);
  graph.values[id].type = ValueType{t.dtype(), t.shape()};
  graph.values[id].constant = std::move(t);
  return id;
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
