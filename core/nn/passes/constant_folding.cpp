// Runs, at load, every node whose inputs are all constant (its real kernel,
// so folding can never disagree with execution) and replaces it by its
// outputs. Shape of a value whose static shape is fully known folds too,
// which in turn folds the Shape -> Gather -> Concat -> Reshape chains
// exporters emit for static input sizes.
#include <set>

#include "neuropipe/nn/errors.hpp"
#include "nn/passes/pass.hpp"
#include "nn/runtime/graph_run.hpp"
#include "nn/runtime/planner.hpp"

namespace neuropipe::nn {

namespace {

const std::set<std::string> kNeverFold = {"RandomNormal", "RandomUniform", "RandomNormalLike",
                                          "RandomUniformLike", "Multinomial", "Bernoulli"};

bool has_subgraph(const Node& n) {
  for (const auto& [name, value] : n.attributes.all())
    if (std::holds_alternative<std::shared_ptr<const Graph>>(value)) return true;
  return false;
}

bool all_inputs_constant(const Graph& g, const Node& n) {
  bool any = false;
  for (int v : n.inputs) {
    if (v == kNoValue) continue;
    if (!g.is_constant(v)) return false;
    any = true;
  }
  return any;
}

// Shape of a statically known shape (opset 15 adds start/end).
std::optional<Tensor> fold_shape(const Graph& g, const Node& n) {
  if (n.op_type != "Shape" || !n.domain.empty() || n.inputs.empty() || n.inputs[0] == kNoValue) return {};
  const auto& shape = g.values[n.inputs[0]].type.shape;
  if (!shape) return {};
  for (int64_t d : *shape)
    if (d < 0) return {};
  auto rank = static_cast<int64_t>(shape->size());
  auto clamp = [&](int64_t i) { return std::clamp(i < 0 ? i + rank : i, int64_t{0}, rank); };
  int64_t start = clamp(n.attributes.get_int("start", 0));
  int64_t end = clamp(n.attributes.get_int("end", rank));
  std::vector<int64_t> dims(shape->begin() + start, shape->begin() + std::max(start, end));
  return Tensor::from_vector(dims, {static_cast<int64_t>(dims.size())});
}

std::optional<std::vector<Tensor>> evaluate(const Graph& g, const Node& n, const PassContext& ctx) {
  if (auto shape = fold_shape(g, n)) return std::vector<Tensor>{*shape};
  if (!n.domain.empty() || kNeverFold.count(n.op_type) || has_subgraph(n) || !all_inputs_constant(g, n)) return {};
  if (!find_kernel(n.domain, n.op_type, n.opset)) return {};  // the planner reports it
  Node copy = n;
  copy.kernel = build_kernel(g, n, ctx.model_name);
  RunLimits limits{1, ctx.options.max_tensor_bytes, ctx.model_name};
  GraphRun run(g, nullptr, nullptr, limits);
  return run.run_single(copy);
}

class ConstantFolding final : public Pass {
 public:
  const char* name() const override { return "constant-folding"; }
  bool run(Graph& g, const PassContext& ctx) const override {
    bool changed = false;
    std::vector<Node> kept;
    for (Node& n : g.nodes) {
      auto outputs = evaluate(g, n, ctx);
      if (!outputs || outputs->size() < n.outputs.size()) {  // fewer made than declared: left to the run
        kept.push_back(std::move(n));
        continue;
      }
      for (size_t i = 0; i < n.outputs.size(); ++i) {
        if (n.outputs[i] == kNoValue) continue;
        Value& v = g.values[n.outputs[i]];
        v.type = ValueType{(*outputs)[i].dtype(), (*outputs)[i].shape()};
        v.constant = (*outputs)[i];
        v.dim_names.clear();  // every dim is fixed now
      }
      changed = true;
    }
    g.nodes = std::move(kept);
    return changed;
  }
};

}  // namespace

std::unique_ptr<Pass> make_constant_folding_pass() { return std::make_unique<ConstantFolding>(); }

}  // namespace neuropipe::nn
