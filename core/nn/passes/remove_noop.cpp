// Ops that return their input unchanged, as exporters emit them: Transpose
// with the identity permutation, Concat of one input, Pad of zero width,
// x * 1, x / 1, x + 0, x - 0 (a scalar float constant that cannot broadcast
// the shape). Readers are rewired to the input and the node disappears
// (Identity/Dropout have their own pass, remove_identity.cpp).
#include "nn/passes/pass.hpp"

namespace neuropipe::nn {

namespace {

bool rank_known(const Graph& g, int value) { return value != kNoValue && g.values[value].type.shape.has_value(); }

bool is_identity_transpose(const Graph& g, const Node& n) {
  if (!n.attributes.has("perm")) return false;  // default perm reverses the dims
  const std::vector<int64_t> perm = n.attributes.get_ints("perm");
  for (size_t i = 0; i < perm.size(); ++i)
    if (perm[i] != static_cast<int64_t>(i)) return false;
  return !perm.empty() || rank_known(g, n.inputs[0]);
}

bool is_zero_pad(const Graph& g, const Node& n) {
  std::vector<int64_t> pads;
  if (n.opset < 11) {
    pads = n.attributes.get_ints("pads");
  } else {
    if (n.inputs.size() < 2 || !g.is_constant(n.inputs[1])) return false;
    if (n.inputs.size() > 3 && n.inputs[3] != kNoValue) return false;  // axes: keep it simple
    pads = g.values[n.inputs[1]].constant->to_int64_vector();
  }
  if (pads.empty()) return false;
  for (int64_t p : pads)
    if (p != 0) return false;
  return true;
}

// x op c where c is a float scalar equal to `neutral` and x's rank is at least c's.
bool is_neutral_arithmetic(const Graph& g, const Node& n, float neutral) {
  if (n.inputs.size() != 2 || !g.is_constant(n.inputs[1]) || !rank_known(g, n.inputs[0])) return false;
  const Tensor& c = *g.values[n.inputs[1]].constant;
  if (c.dtype() != DType::f32 || c.numel() != 1) return false;
  if (g.values[n.inputs[0]].type.dtype != DType::f32) return false;
  if (c.rank() > g.values[n.inputs[0]].type.shape->size()) return false;  // would add dims
  return c.data<float>()[0] == neutral;
}

bool is_noop(const Graph& g, const Node& n) {
  if (!n.domain.empty() || n.inputs.empty() || n.inputs[0] == kNoValue || n.outputs.size() != 1) return false;
  const std::string& op = n.op_type;
  if (op == "Transpose") return is_identity_transpose(g, n);
  if (op == "Concat") return n.inputs.size() == 1;
  if (op == "Pad") return is_zero_pad(g, n);
  if (op == "Mul" || op == "Div") return is_neutral_arithmetic(g, n, 1.0f);
  if (op == "Add" || op == "Sub") return is_neutral_arithmetic(g, n, 0.0f);
  return false;
}

bool removable(const Graph& g, const Node& n) {
  if (!is_noop(g, n)) return false;
  const int out = n.outputs[0];
  if (out == kNoValue || g.is_output(out)) return false;  // the output's name is part of the API
  for (const Node& other : g.nodes)  // subgraphs read outer values by name: keep that name alive
    for (int c : other.captures)
      if (c == out) return false;
  return true;
}

class RemoveNoop final : public Pass {
 public:
  const char* name() const override { return "remove-noop"; }
  bool run(Graph& g, const PassContext&) const override {
    bool changed = false;
    for (size_t i = 0; i < g.nodes.size();) {
      if (!removable(g, g.nodes[i])) {
        ++i;
        continue;
      }
      const int in = g.nodes[i].inputs[0], out = g.nodes[i].outputs[0];
      g.nodes.erase(g.nodes.begin() + static_cast<std::ptrdiff_t>(i));
      replace_uses(g, out, in);
      changed = true;
    }
    return changed;
  }
};

}  // namespace

std::unique_ptr<Pass> make_remove_noop_pass() { return std::make_unique<RemoveNoop>(); }

}  // namespace neuropipe::nn
