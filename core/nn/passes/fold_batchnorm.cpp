// Conv / ConvTranspose -> BatchNormalization (inference) becomes one node: BN
// is a per-channel affine map y = x * s + (bias - mean * s), s = scale /
// sqrt(var + eps), so it folds into the convolution's weights (every weight of
// output channel m times s[m]) and bias ((B[m] - mean[m]) * s[m] + bias[m]).
// Conv weights are [M, C/group, k...]; ConvTranspose's [C, M/group, k...], so
// there output channel m is (input channel's group) * M/group + dim-1 index
// (pix2pix's decoder: ConvTranspose -> BN -> Relu). New constants are created (W may be
// shared with other nodes). Only when the Conv output feeds the BN alone and
// all of W, B and the statistics are float32 constants.
#include <cmath>
#include <optional>
#include <vector>

#include "nn/passes/pass.hpp"

namespace neuropipe::nn {

namespace {

const Tensor* f32_constant(const Graph& g, const Node& n, size_t input) {
  if (input >= n.inputs.size() || !g.is_constant(n.inputs[input])) return nullptr;
  const Tensor& t = *g.values[n.inputs[input]].constant;
  return t.dtype() == DType::f32 ? &t : nullptr;
}

bool is_foldable_producer(const Node& n) {
  return (n.op_type == "Conv" || n.op_type == "ConvTranspose") && n.domain.empty() && n.outputs.size() == 1;
}

// Output channel of each weight row: W viewed as [rows, per_row], row = W's
// first dim (Conv: the output channel) or first two dims (ConvTranspose).
struct WeightChannels {
  int64_t channels = 0, rows = 0, per_row = 0;
  int64_t in_per_group = 1, out_per_group = 1;  // ConvTranspose only
  bool transposed = false;
  int64_t channel_of(int64_t row) const {
    if (!transposed) return row;
    const int64_t c = row / out_per_group, j = row % out_per_group;
    return (c / in_per_group) * out_per_group + j;
  }
};

std::optional<WeightChannels> weight_channels(const Node& n, const Tensor& w) {
  WeightChannels wc;
  if (n.op_type == "Conv") {
    wc.channels = wc.rows = w.dim(0);
  } else {
    const int64_t group = n.attributes.get_int("group", 1);
    if (group <= 0 || w.dim(0) % group != 0) return std::nullopt;
    wc.transposed = true;
    wc.in_per_group = w.dim(0) / group;
    wc.out_per_group = w.dim(1);
    wc.channels = w.dim(1) * group;
    wc.rows = w.dim(0) * w.dim(1);
  }
  if (wc.rows == 0) return std::nullopt;
  wc.per_row = w.numel() / wc.rows;
  return wc;
}

bool is_inference_batchnorm(const Node& bn) {
  if (bn.op_type != "BatchNormalization" || !bn.domain.empty() || bn.inputs.size() != 5) return false;
  for (size_t i = 1; i < bn.outputs.size(); ++i)  // running statistics requested: training mode
    if (bn.outputs[i] != kNoValue) return false;
  if (bn.attributes.get_int("training_mode", 0) != 0) return false;
  return bn.opset >= 7 || bn.attributes.get_int("spatial", 1) == 1;  // per-channel statistics
}

// The BN node that can fold into `conv`, or -1.
int foldable_batchnorm(const Graph& g, const Node& conv) {
  if (!is_foldable_producer(conv)) return -1;
  if (conv.attributes.has("_fused_activation")) return -1;
  const Tensor* w = f32_constant(g, conv, 1);
  if (!w || w->rank() < 3) return -1;
  if (conv.inputs.size() > 2 && conv.inputs[2] != kNoValue && !f32_constant(g, conv, 2)) return -1;
  const int reader = sole_reader(g, conv.outputs[0]);
  if (reader < 0) return -1;
  const Node& bn = g.nodes[static_cast<size_t>(reader)];
  if (!is_inference_batchnorm(bn) || bn.inputs[0] != conv.outputs[0]) return -1;
  for (size_t i = 1; i < 5; ++i) {
    const Tensor* p = f32_constant(g, bn, i);
    if (!p || p->numel() != weight_channels(conv, *w).value_or(WeightChannels{}).channels) return -1;
  }
  return reader;
}

void fold(Graph& g, Node& conv, const Node& bn) {
  const Tensor& w = *g.values[conv.inputs[1]].constant;
  const WeightChannels wc = *weight_channels(conv, w);
  const float eps = bn.attributes.get_float("epsilon", 1e-5f);
  auto param = [&](size_t i) { return g.values[bn.inputs[i]].constant->data<float>(); };
  const float *scale = param(1), *shift = param(2), *mean = param(3), *var = param(4);
  const float* old_bias =
      conv.inputs.size() > 2 && conv.inputs[2] != kNoValue ? g.values[conv.inputs[2]].constant->data<float>() : nullptr;
  Tensor folded_w = Tensor::empty(DType::f32, w.shape());
  Tensor folded_b = Tensor::empty(DType::f32, {wc.channels});
  std::vector<float> factor(static_cast<size_t>(wc.channels));
  for (int64_t m = 0; m < wc.channels; ++m) {
    factor[static_cast<size_t>(m)] = scale[m] / std::sqrt(var[m] + eps);
    folded_b.data<float>()[m] = ((old_bias ? old_bias[m] : 0.f) - mean[m]) * factor[static_cast<size_t>(m)] + shift[m];
  }
  for (int64_t row = 0; row < wc.rows; ++row) {
    const float s = factor[static_cast<size_t>(wc.channel_of(row))];
    for (int64_t k = 0; k < wc.per_row; ++k)
      folded_w.data<float>()[row * wc.per_row + k] = w.data<float>()[row * wc.per_row + k] * s;
  }
  const std::string base = conv.name.empty() ? g.values[conv.outputs[0]].name : conv.name;
  const int w_id = add_constant(g, base + "_bn_folded_W", std::move(folded_w));
  const int b_id = add_constant(g, base + "_bn_folded_B", std::move(folded_b));
  conv.inputs.resize(3, kNoValue);
  conv.inputs[1] = w_id;
  conv.inputs[2] = b_id;
  conv.outputs[0] = bn.outputs[0];  // the Conv now writes what the BN wrote
}

class FoldBatchNorm final : public Pass {
 public:
  const char* name() const override { return "fold-batchnorm"; }
  bool run(Graph& g, const PassContext&) const override {
    bool changed = false;
    for (size_t i = 0; i < g.nodes.size(); ++i) {
      const int bn = foldable_batchnorm(g, g.nodes[i]);
      if (bn < 0) continue;
      fold(g, g.nodes[i], g.nodes[static_cast<size_t>(bn)]);
      g.nodes.erase(g.nodes.begin() + bn);  // after i: the Conv's index stays valid
      changed = true;
    }
    return changed;
  }
};

}  // namespace

std::unique_ptr<Pass> make_fold_batchnorm_pass() { return std::make_unique<FoldBatchNorm>(); }

}  // namespace neuropipe::nn
