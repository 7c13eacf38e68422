// Identity and inference-mode Dropout copy their input: readers are rewired
// to the input and the node disappears.
#include "nn/passes/pass.hpp"

namespace neuropipe::nn {

namespace {

bool is_removable(const Graph& g, const Node& n) {
  if (!n.domain.empty() || n.inputs.empty() || n.inputs[0] == kNoValue || n.outputs.empty()) return false;
  if (n.op_type == "Dropout") {
    if (n.outputs.size() > 1 && n.outputs[1] != kNoValue) return false;  // the mask is used
    if (n.inputs.size() > 2 && n.inputs[2] != kNoValue) {              // training_mode
      const Value& mode = g.values[n.inputs[2]];
      if (!mode.constant || mode.constant->to_int64_vector().at(0) != 0) return false;
    }
  } else if (n.op_type != "Identity") {
    return false;
  }
  int out = n.outputs[0];
  if (out == kNoValue || g.is_output(out)) return false;  // the output's name is part of the API
  for (const Node& other : g.nodes)  // subgraphs read outer values by name: keep that name alive
    for (int c : other.captures)
      if (c == out) return false;
  return true;
}

class RemoveIdentity final : public Pass {
 public:
  const char* name() const override { return "remove-identity"; }
  bool run(Graph& g, const PassContext&) const override {
    bool changed = false;
    for (size_t i = 0; i < g.nodes.size();) {
      if (!is_removable(g, g.nodes[i])) {
        ++i;
        continue;
      }
      int in = g.nodes[i].inputs[0], out = g.nodes[i].outputs[0];
      g.nodes.erase(g.nodes.begin() + static_cast<std::ptrdiff_t>(i));
      replace_uses(g, out, in);
      changed = true;
    }
    return changed;
  }
};

}  // namespace

std::unique_ptr<Pass> make_remove_identity_pass() { return std::make_unique<RemoveIdentity>(); }

}  // namespace neuropipe::nn
