// Conv / ConvTranspose / Gemm / InstanceNormalization -> activation becomes one
// node: the activation moves into the producer's "_fused_activation" /
// "_fused_alpha" / "_fused_beta" attributes (nn/kernels/activation.hpp),
// applied by the GEMM epilogue (or InstanceNormalization's per-plane loop)
// while the output is still in cache. Which activations fuse is
// decided by the kernels themselves: a candidate is kept only when
// kernels::fused_activation_from accepts it, so an activation the kernels
// learn later fuses without touching this pass. Attribute contract per op
// type: alpha/beta are the op's own (defaults filled in here); Clip passes
// its bounds as alpha = min, beta = max (constant bounds only). The HardSwish
// decomposition x * HardSigmoid(x) (two readers of x) fuses as "MulHardSigmoid".
#include <algorithm>
#include <limits>
#include <optional>
#include <utility>

#include "nn/kernels/activation.hpp"
#include "nn/passes/pass.hpp"

namespace neuropipe::nn {

namespace {

bool is_fusion_target(const Node& n) {
  if (!n.domain.empty() || n.outputs.empty() || n.attributes.has("_fused_activation")) return false;
  return n.op_type == "Conv" || n.op_type == "ConvTranspose" || n.op_type == "Gemm" ||
         n.op_type == "InstanceNormalization";
}

// A scalar float constant input, or nullopt (absent inputs give `open`).
std::optional<float> constant_bound(const Graph& g, const Node& n, size_t input, float open) {
  if (input >= n.inputs.size() || n.inputs[input] == kNoValue) return open;
  if (!g.is_constant(n.inputs[input])) return std::nullopt;
  const Tensor& t = *g.values[n.inputs[input]].constant;
  if (t.dtype() != DType::f32 || t.numel() != 1) return std::nullopt;
  return t.data<float>()[0];
}

// The "_fused_*" attributes equivalent to activation node `act`, or nullopt.
std::optional<Attributes> fused_attributes(const Graph& g, const Node& act) {
  if (!act.domain.empty() || act.inputs.empty() || act.outputs.size() != 1) return std::nullopt;
  constexpr float inf = std::numeric_limits<float>::infinity();
  Attributes a;
  const std::string& op = act.op_type;
  a.set("_fused_activation", op);
  if (op == "Relu" || op == "Sigmoid" || op == "Tanh" || op == "HardSwish") {
    if (act.inputs.size() != 1) return std::nullopt;
  } else if (op == "LeakyRelu" || op == "Elu") {
    a.set("_fused_alpha", act.attributes.get_float("alpha", op == "Elu" ? 1.0f : 0.01f));
  } else if (op == "HardSigmoid") {
    a.set("_fused_alpha", act.attributes.get_float("alpha", 0.2f));
    a.set("_fused_beta", act.attributes.get_float("beta", 0.5f));
  } else if (op == "Clip") {
    std::optional<float> lo = -inf, hi = inf;
    if (act.opset < 11) {
      lo = act.attributes.get_float("min", -inf);
      hi = act.attributes.get_float("max", inf);
    } else {
      lo = constant_bound(g, act, 1, -inf);
      hi = constant_bound(g, act, 2, inf);
    }
    if (!lo || !hi) return std::nullopt;  // bounds computed at run time
    a.set("_fused_alpha", *lo);
    a.set("_fused_beta", *hi);
  } else {
    return std::nullopt;
  }
  try {
    kernels::fused_activation_from(a);  // the kernels' own word on what they apply
  } catch (const Error&) {
    return std::nullopt;
  }
  return a;
}

// x -> HardSigmoid -> Mul(x, hs): HardSwish as exports below opset 14 write it
// (torchvision's MobileNetV3). Returns {HardSigmoid, Mul} node indices when
// `producer`'s output feeds exactly those two and the HardSigmoid only the Mul.
std::optional<std::pair<int, int>> hard_swish_pair(const Graph& g, const Node& producer) {
  const int x = producer.outputs[0];
  if (reader_count(g, x) != 2 || g.is_output(x)) return std::nullopt;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& hs = g.nodes[i];
    if (hs.op_type != "HardSigmoid" || !hs.domain.empty() || hs.inputs.size() != 1 || hs.inputs[0] != x ||
        hs.outputs.size() != 1)
      continue;
    const int mul = sole_reader(g, hs.outputs[0]);
    if (mul < 0) return std::nullopt;
    const Node& m = g.nodes[static_cast<size_t>(mul)];
    const bool reads_both = m.inputs.size() == 2 && ((m.inputs[0] == x && m.inputs[1] == hs.outputs[0]) ||
                                                     (m.inputs[1] == x && m.inputs[0] == hs.outputs[0]));
    if (m.op_type != "Mul" || !m.domain.empty() || !reads_both || m.outputs.size() != 1) return std::nullopt;
    return std::pair{static_cast<int>(i), mul};
  }
  return std::nullopt;
}

// Folds a HardSigmoid + Mul pair after `producer` (index i) into it as "MulHardSigmoid".
bool fuse_hard_swish_pair(Graph& g, size_t i) {
  const auto pair = hard_swish_pair(g, g.nodes[i]);
  if (!pair) return false;
  const Node& hs = g.nodes[static_cast<size_t>(pair->first)];
  Node& producer = g.nodes[i];
  producer.attributes.set("_fused_activation", std::string("MulHardSigmoid"));
  producer.attributes.set("_fused_alpha", hs.attributes.get_float("alpha", 0.2f));
  producer.attributes.set("_fused_beta", hs.attributes.get_float("beta", 0.5f));
  producer.outputs[0] = g.nodes[static_cast<size_t>(pair->second)].outputs[0];
  const auto [first, second] = std::minmax(pair->first, pair->second);
  g.nodes.erase(g.nodes.begin() + second);  // both after i (topological order)
  g.nodes.erase(g.nodes.begin() + first);
  return true;
}

class FuseActivation final : public Pass {
 public:
  const char* name() const override { return "fuse-activation"; }
  bool run(Graph& g, const PassContext&) const override {
    bool changed = false;
    for (size_t i = 0; i < g.nodes.size(); ++i) {
      Node& producer = g.nodes[i];
      if (!is_fusion_target(producer) || producer.outputs[0] == kNoValue) continue;
      if (fuse_hard_swish_pair(g, i)) {
        changed = true;
        continue;
      }
      const int reader = sole_reader(g, producer.outputs[0]);
      if (reader < 0) continue;
      const Node& act = g.nodes[static_cast<size_t>(reader)];
      if (act.inputs[0] != producer.outputs[0]) continue;
      std::optional<Attributes> fused = fused_attributes(g, act);
      if (!fused) continue;
      for (const auto& [key, value] : fused->all()) producer.attributes.set(key, value);
      producer.outputs[0] = act.outputs[0];
      g.nodes.erase(g.nodes.begin() + reader);  // reader > i (topological order)
      changed = true;
    }
    return changed;
  }
};

}  // namespace

std::unique_ptr<Pass> make_fuse_activation_pass() { return std::make_unique<FuseActivation>(); }

}  // namespace neuropipe::nn
