#pragma once
// Activations a GEMM/Conv epilogue applies while the output tile is still in
// cache. A later fusion pass requests them through internal node attributes:
//   "_fused_activation" = "Relu" | "Clip" | "LeakyRelu" | "Sigmoid" | "Tanh" | "HardSigmoid"
//                         | "HardSwish" | "Elu" | "MulHardSigmoid"
//   "_fused_alpha"      = Clip min (default -inf) / LeakyRelu slope (default 0.01) /
//                         HardSigmoid / MulHardSigmoid alpha (0.2) / Elu alpha (1.0)
//   "_fused_beta"       = Clip max (default +inf) / HardSigmoid / MulHardSigmoid beta (0.5)
// MulHardSigmoid is x * HardSigmoid(x): HardSwish as opset < 14 exports write it
// (Mul + HardSigmoid with alpha 1/6), computed in that order and rounding.
// with the ONNX semantics of each op (Sigmoid and Tanh vectorised, see vector_math.hpp).
// Conv, ConvTranspose and Gemm honour them.
#include <cstdint>

#include "nn/attributes.hpp"

namespace neuropipe::nn::kernels {

struct Activation {
  enum class Kind { none, relu, clip, leaky_relu, sigmoid, tanh, hard_sigmoid, hard_swish, elu, mul_hard_sigmoid };
  Kind kind = Kind::none;
  float alpha = 0.f;  // clip min, leaky slope, hard-sigmoid slope, elu alpha
  float beta = 0.f;   // clip max, hard-sigmoid offset
};

// Reads the "_fused_*" attributes; throws neuropipe::Error on an unknown name.
Activation fused_activation_from(const Attributes& attrs);

// Adds `bias` (may be null) and applies `act` to n contiguous values.
void apply_bias_activation(float* data, int64_t n, float bias, const Activation& act);

}  // namespace neuropipe::nn::kernels
