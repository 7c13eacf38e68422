#include "nn/kernels/activation.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "neuropipe/error.hpp"
#include "nn/kernels/vector_math.hpp"

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
  } else if (name == "Sigmoid") {
    act.kind = Activation::Kind::sigmoid;
  } else if (name == "Tanh") {
    act.kind = Activation::Kind::tanh;
  } else if (name == "HardSigmoid") {
    act.kind = Activation::Kind::hard_sigmoid;
    act.alpha = attrs.get_float("_fused_alpha", 0.2f);
    act.beta = attrs.get_float("_fused_beta", 0.5f);
  } else if (name == "MulHardSigmoid") {
    act.kind = Activation::Kind::mul_hard_sigmoid;
    act.alpha = attrs.get_float("_fused_alpha", 0.2f);
    act.beta = attrs.get_float("_fused_beta", 0.5f);
  } else if (name == "HardSwish") {
    act.kind = Activation::Kind::hard_swish;
  } else if (name == "Elu") {
    act.kind = Activation::Kind::elu;
    act.alpha = attrs.get_float("_fused_alpha", 1.0f);
  } else {
    throw Error("attribute _fused_activation: unsupported activation '" + name + "'");
  }
  return act;
}

namespace {
// data[i] = x * HardSigmoid(x), x = data[i] + bias, in the elementwise ops'
// rounding (std::clamp: NaN stays NaN). In blocks through a small array: GCC
// vectorises the clamp loop alone but not one that multiplies its result by x
// ("control flow in loop"), which left this epilogue scalar.
void mul_hard_sigmoid(float* data, int64_t n, float bias, float alpha, float beta) {
  constexpr int64_t block = 64;
  float gate[block];
  for (int64_t start = 0; start < n; start += block) {
    const int64_t count = std::min(block, n - start);
    float* x = data + start;
    for (int64_t i = 0; i < count; ++i) x[i] += bias;
    for (int64_t i = 0; i < count; ++i) gate[i] = std::min(std::max(alpha * x[i] + beta, 0.f), 1.f);
    for (int64_t i = 0; i < count; ++i) x[i] *= gate[i];
  }
}

void add_bias(float* data, int64_t n, float bias) {
  if (bias != 0.f)
    for (int64_t i = 0; i < n; ++i) data[i] += bias;
}
}  // namespace

void apply_bias_activation(float* data, int64_t n, float bias, const Activation& act) {
  switch (act.kind) {
    case Activation::Kind::none:
      add_bias(data, n, bias);
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
    case Activation::Kind::sigmoid:
      add_bias(data, n, bias);
      best_vector_math().sigmoid(data, data, n);
      break;
    case Activation::Kind::tanh:
      add_bias(data, n, bias);
      best_vector_math().tanh(data, data, n);
      break;
    case Activation::Kind::hard_sigmoid:
      for (int64_t i = 0; i < n; ++i)
        data[i] = std::min(std::max(act.alpha * (data[i] + bias) + act.beta, 0.f), 1.f);
      break;
    case Activation::Kind::hard_swish:  // x * max(0, min(1, x/6 + 1/2)), as ONNX HardSwish
      for (int64_t i = 0; i < n; ++i) {
        const float v = data[i] + bias;
        data[i] = v * std::min(std::max(v / 6.f + 0.5f, 0.f), 1.f);
      }
      break;
    case Activation::Kind::mul_hard_sigmoid:  // Mul(x, HardSigmoid(x))
      mul_hard_sigmoid(data, n, bias, act.alpha, act.beta);
      break;
    case Activation::Kind::elu:
      for (int64_t i = 0; i < n; ++i) {
        const float v = data[i] + bias;
        data[i] = v < 0.f ? act.alpha * std::expm1(v) : v;
      }
      break;
  }
}

}  // namespace neuropipe::nn::kernels
