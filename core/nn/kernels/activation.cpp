#include "nn/kernels/activation.hpp"

#include <algorithm>
#include <limits>

#include "neuropipe/error.hpp"

namespace neuropipe::nn::kernels {

Activation fused_activation_from(const Attributes& attrs) {
  Activation act;
  const std::string name = attrs.get_string("_fused_activation", "");
  if (name.empty()) return act;
  if (name == "Relu") {
    act.kind = Activation::Kind::relu;
  } else if (name == "Clip") {
    act.kind = Activation::Kind::clip;
    act.alpha = attrs.get_float("_fused_alpha", -std::numeric_limits<float>::infinity());
    act.beta = attrs.get_float("_fused_beta", std::numeric_limits<float>::infinity());
  } else if (name == "LeakyRelu") {
    act.kind = Activation::Kind::leaky_relu;
    act.alpha = attrs.get_float("_fused_alpha", 0.01f);
  } else {
    throw Error("attribute _fused_activation: unsupported activation '" + name + "'");
  }
  return act;
}

void apply_bias_activation(float* data, int64_t n, float bias, const Activation& act) {
  switch (act.kind) {
    case Activation::Kind::none:
      if (bias != 0.f)
        for (int64_t i = 0; i < n; ++i) data[i] += bias;
      break;
    case Activation::Kind::relu:
      for (int64_t i = 0; i < n; ++i) data[i] = std::max(data[i] + bias, 0.f);
      break;
    case Activation::Kind::clip:
      for (int64_t i = 0; i < n; ++i) data[i] = std::min(std::max(data[i] + bias, act.alpha), act.beta);
      break;
    case Activation::Kind::leaky_relu:
      for (int64_t i = 0; i < n; ++i) {
        const float v = data[i] + bias;
        data[i] = v < 0.f ? v * act.alpha : v;
      }
      break;
  }
}

}  // namespace neuropipe::nn::kernels
