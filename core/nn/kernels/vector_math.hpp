#pragma once
// Vectorised float transcendental functions over contiguous spans, one table
// per ISA (compiled per file, chosen at run time like the GEMM micro-kernel).
// Every ISA runs the same algorithm (vector_math_lanes.hpp) on its own vector
// width, so results agree across ISAs up to FMA contraction. Accuracy against
// the C library: exp, sigmoid within 2 ulp; tanh, erf within ~4 ulp (tested in
// tests/nn/kernels/vector_math_test.cpp); NaN propagates, +-inf map to the limits.
#include <cstdint>

#include "nn/kernels/cpu_features.hpp"

namespace neuropipe::nn::kernels {

// out[i] = f(in[i]) for i < n; in and out may be the same array.
using SpanFunction = void (*)(const float* in, float* out, int64_t n);

struct VectorMath {
  Isa isa;
  SpanFunction exp;
  SpanFunction sigmoid;  // 1 / (1 + exp(-x))
  SpanFunction tanh;
  SpanFunction erf;
  SpanFunction gelu;  // 0.5 x (1 + erf(x / sqrt 2)), the exact form
};

const VectorMath& vector_math_scalar();
const VectorMath& vector_math_avx2();
const VectorMath& vector_math_avx512();

// The table for `isa`; throws neuropipe::Error when the CPU lacks it.
const VectorMath& vector_math(Isa isa);
// The table for best_isa() (NEUROPIPE_ISA honoured).
const VectorMath& best_vector_math();

}  // namespace neuropipe::nn::kernels
