// Activation functions: one element functor each, attributes read at load
// with the ONNX defaults. Constants are cast to the element type so float
// inputs are computed in float, not promoted to double.
#include <algorithm>
#include <cmath>
#include <string>

#include "nn/ops/elementwise/unary.hpp"
#include "nn/ops/elementwise/vector_unary.hpp"

namespace neuropipe::nn::ops {
namespace {

constexpr int64_t kCostly = kCostlyGrain;

float float_attribute(const KernelBuildContext& b, const char* name, float def) {
  return b.attributes().get_float(name, def);
}

// log(1 + exp(x)) without overflow for large x.
template <class C>
C softplus(C x) {
  return x > C(0) ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}

NP_REGISTER_KERNEL("Relu", 1, 1000, unary_factory<SignedTypes>([](auto x) { return x > 0 ? x : decltype(x)(0); }));

NP_REGISTER_KERNEL("LeakyRelu", 1, 1000, unary_factory_from_attributes<FloatTypes>([](const KernelBuildContext& b) {
  const float alpha = float_attribute(b, "alpha", 0.01f);
  return [alpha](auto x) { return x < 0 ? decltype(x)(alpha) * x : x; };
}));

NP_REGISTER_KERNEL("Elu", 1, 1000, unary_factory_from_attributes<FloatTypes>([](const KernelBuildContext& b) {
  const float alpha = float_attribute(b, "alpha", 1.0f);
  return [alpha](auto x) { return x < 0 ? decltype(x)(alpha) * std::expm1(x) : x; };
}, kCostly));

NP_REGISTER_KERNEL("Selu", 1, 1000, unary_factory_from_attributes<FloatTypes>([](const KernelBuildContext& b) {
  const float alpha = float_attribute(b, "alpha", 1.67326319217681884765625f);
  const float gamma = float_attribute(b, "gamma", 1.05070102214813232421875f);
  return [alpha, gamma](auto x) {
    using C = decltype(x);
    return C(gamma) * (x > 0 ? x : C(alpha) * std::expm1(x));
  };
}, kCostly));

NP_REGISTER_KERNEL("Celu", 12, 1000, unary_factory_from_attributes<FloatTypes>([](const KernelBuildContext& b) {
  const float alpha = float_attribute(b, "alpha", 1.0f);
  if (alpha == 0.0f) b.fail("attribute 'alpha' must not be 0");
  return [alpha](auto x) {
    using C = decltype(x);
    return std::max(C(0), x) + std::min(C(0), C(alpha) * std::expm1(x / C(alpha)));
  };
}, kCostly));

NP_REGISTER_KERNEL("ThresholdedRelu", 10, 1000,
                   unary_factory_from_attributes<FloatTypes>([](const KernelBuildContext& b) {
                     const float alpha = float_attribute(b, "alpha", 1.0f);
                     return [alpha](auto x) { return x > decltype(x)(alpha) ? x : decltype(x)(0); };
                   }));

NP_REGISTER_KERNEL("Sigmoid", 1, 1000, unary_factory<FloatTypes>(vectorised([](auto x) {
  using C = decltype(x);
  return C(1) / (C(1) + std::exp(-x));
}, &kernels::VectorMath::sigmoid), kCostly));

NP_REGISTER_KERNEL("HardSigmoid", 1, 1000, unary_factory_from_attributes<FloatTypes>([](const KernelBuildContext& b) {
  const float alpha = float_attribute(b, "alpha", 0.2f);
  const float beta = float_attribute(b, "beta", 0.5f);
  return [alpha, beta](auto x) {
    using C = decltype(x);
    return std::clamp(C(alpha) * x + C(beta), C(0), C(1));
  };
}));

NP_REGISTER_KERNEL("HardSwish", 14, 1000, unary_factory<FloatTypes>([](auto x) {
  using C = decltype(x);
  return x * std::clamp(x / C(6) + C(0.5), C(0), C(1));
}));

NP_REGISTER_KERNEL("Tanh", 1, 1000,
                   unary_factory<FloatTypes>(
                       vectorised([](auto x) { return std::tanh(x); }, &kernels::VectorMath::tanh), kCostly));
NP_REGISTER_KERNEL("Softplus", 1, 1000, unary_factory<FloatTypes>([](auto x) { return softplus(x); }, kCostly));
NP_REGISTER_KERNEL("Softsign", 1, 1000,
                   unary_factory<FloatTypes>([](auto x) { return x / (decltype(x)(1) + std::abs(x)); }));
NP_REGISTER_KERNEL("Mish", 18, 1000,
                   unary_factory<FloatTypes>([](auto x) { return x * std::tanh(softplus(x)); }, kCostly));

// Gelu as of opset 20: exact (erf) or the tanh approximation; float exact Gelu is vectorised.
struct GeluOp {
  bool use_tanh;
  template <class C>
  C operator()(C x) const {
    const C inner = use_tanh ? std::tanh(C(0.7978845608028654) * (x + C(0.044715) * x * x * x))
                             : std::erf(x * C(0.7071067811865476));
    return C(0.5) * x * (C(1) + inner);
  }
  void span(const float* in, float* out, int64_t n) const {
    if (!use_tanh) return kernels::best_vector_math().gelu(in, out, n);
    for (int64_t i = 0; i < n; ++i) out[i] = (*this)(in[i]);
  }
};

NP_REGISTER_KERNEL("Gelu", 20, 1000, unary_factory_from_attributes<FloatTypes>([](const KernelBuildContext& b) {
  const std::string approximate = b.attributes().get_string("approximate", "none");
  if (approximate != "none" && approximate != "tanh")
    b.fail("attribute 'approximate' must be \"none\" or \"tanh\", got \"" + approximate + "\"");
  return GeluOp{approximate == "tanh"};
}, kCostly));

NP_REGISTER_KERNEL("Shrink", 9, 1000, unary_factory_from_attributes<NumericTypes>([](const KernelBuildContext& b) {
  const float bias = float_attribute(b, "bias", 0.0f);
  const float lambd = float_attribute(b, "lambd", 0.5f);
  // Computed in double so integer inputs compare against the float thresholds exactly.
  return [bias, lambd](auto x) {
    const double v = static_cast<double>(x);
    return static_cast<decltype(x)>(v < -lambd ? v + bias : v > lambd ? v - bias : 0.0);
  };
}));

}  // namespace
}  // namespace neuropipe::nn::ops
