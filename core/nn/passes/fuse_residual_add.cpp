// Conv -> Add(conv, skip) becomes one Conv that adds the skip connection in
// its GEMM epilogue (ResNet / MobileNetV2 blocks): the Conv gets the skip as
// input 3 and "_fused_add" = 1 (ops/dense/conv.cpp adds it through
// GemmC::residual, before the activation), and writes the Add's output. A following Relu then fuses too
// (fuse_activation.cpp runs after this pass). Only when:
//   - the Add is the Conv output's sole reader and the Conv has no fused activation yet
//     (Conv -> Relu -> Add must keep its order);
//   - both shapes are known to be equal on every run, fixed or symbolic (same ONNX
//     dim_param, as the batch dim of an exported model): no broadcasting;
//   - the skip exists before the Conv runs (a graph input, a constant, or produced by
//     an earlier node), since the Conv now reads it.
#include "nn/passes/pass.hpp"

namespace neuropipe::nn {

namespace {

bool is_plain_conv(const Node& n) {
  return n.op_type == "Conv" && n.domain.empty() && n.outputs.size() == 1 && n.inputs.size() <= 3 &&
         !n.attributes.has("_fused_activation") && !n.attributes.has("_fused_add");
}

// Node index producing each value (-1: graph input, constant, or absent).
std::vector<int> producers(const Graph& g) {
  std::vector<int> producer(g.values.size(), -1);
  for (size_t i = 0; i < g.nodes.size(); ++i)
    for (int v : g.nodes[i].outputs)
      if (v != kNoValue) producer[v] = static_cast<int>(i);
  return producer;
}

// The skip operand of Add `add` when Conv `conv_index` can absorb it, or kNoValue.
int fusable_skip(const Graph& g, const std::vector<int>& producer, size_t conv_index, const Node& add) {
  const Node& conv = g.nodes[conv_index];
  if (add.op_type != "Add" || !add.domain.empty() || add.inputs.size() != 2 || add.outputs.size() != 1) return kNoValue;
  const int out = conv.outputs[0];
  const int skip = add.inputs[0] == out ? add.inputs[1] : add.inputs[1] == out ? add.inputs[0] : kNoValue;
  if (skip == kNoValue || skip == out || g.values[skip].from_outer_scope) return kNoValue;
  // Equal shapes (fixed, or the same symbolic dims), so the Add cannot broadcast.
  if (!same_shape(g, out, skip)) return kNoValue;
  if (g.values[skip].type.dtype != DType::f32) return kNoValue;
  if (producer[skip] >= static_cast<int>(conv_index)) return kNoValue;  // not ready when the Conv runs
  return skip;
}

class FuseResidualAdd final : public Pass {
 public:
  const char* name() const override { return "fuse-residual-add"; }
  bool run(Graph& g, const PassContext&) const override {
    bool changed = false;
    std::vector<int> producer = producers(g);
    for (size_t i = 0; i < g.nodes.size(); ++i) {
      if (!is_plain_conv(g.nodes[i]) || g.nodes[i].outputs[0] == kNoValue) continue;
      const int reader = sole_reader(g, g.nodes[i].outputs[0]);
      if (reader < 0) continue;
      const int skip = fusable_skip(g, producer, i, g.nodes[static_cast<size_t>(reader)]);
      if (skip == kNoValue) continue;
      Node& conv = g.nodes[i];
      conv.inputs.resize(4, kNoValue);
      conv.inputs[3] = skip;
      conv.attributes.set("_fused_add", int64_t{1});
      conv.outputs[0] = g.nodes[static_cast<size_t>(reader)].outputs[0];
      g.nodes.erase(g.nodes.begin() + reader);  // reader > i (topological order)
      producer = producers(g);
      changed = true;
    }
    return changed;
  }
};

}  // namespace

std::unique_ptr<Pass> make_fuse_residual_add_pass() { return std::make_unique<FuseResidualAdd>(); }

}  // namespace neuropipe::nn
