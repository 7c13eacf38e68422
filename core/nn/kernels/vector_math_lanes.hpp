#pragma once
// The algorithms behind nn/kernels/vector_math.hpp, written once over GCC
// vector types: F is a vector of floats, I the int32 vector of the same width.
// Only the per-ISA files (vector_math_{scalar,avx2,avx512}.cpp) include this,
// each with its own concrete F/I; everything here is a template over F, so
// no function compiled for one ISA can be merged into another ISA's file
// (no std:: templates either, for the same reason).
//
// Methods: exp by Cody-Waite range reduction to |r| <= ln2/2, the Cephes
// degree-5 minimax polynomial, and 2^n applied in two halves (so results
// down to the denormals and up to FLT_MAX are exact scalings). tanh: the
// Cephes odd polynomial below |x| = 0.625, 1 - 2/(exp(2|x|)+1) above. erf:
// its Taylor series below |x| = 0.5, 1 - erfc above, with erfc from the
// Chebyshev fit t*exp(-z^2 - 1.26551223 + t*P(t)), t = 1/(1 + z/2)
// (Numerical Recipes' erfcc, fractional error < 1.2e-7).
#include <cstdint>

#include "nn/kernels/vector_math.hpp"

namespace neuropipe::nn::kernels::lanes {

template <class F>
F splat(float v) {
  return F{} + v;
}

template <class F, class I>
F abs_of(F x) {
  return (F)((I)x & 0x7fffffff);
}

// |magnitude| with the sign bit of `sign`.
template <class F, class I>
F with_sign_of(F magnitude, F sign) {
  return (F)(((I)magnitude & 0x7fffffff) | ((I)sign & int32_t(0x80000000u)));
}

template <class F, class I>
F exp(F x) {
  // Outside [-104, 89] the result is 0 or inf anyway; clamping keeps 2^n finite
  // in int32. NaN fails both comparisons and flows through.
  F v = x < -104.f ? splat<F>(-104.f) : x;
  v = v > 89.f ? splat<F>(89.f) : v;
  constexpr float kRoundMagic = 12582912.f;  // 1.5 * 2^23: adding it rounds to an integer
  const F n = (v * 1.44269504088896341f + kRoundMagic) - kRoundMagic;
  F r = v - n * 0.693359375f;  // ln 2 split in two: the first part times n is exact
  r = r + n * 2.12194440e-4f;
  F p = splat<F>(1.9875691500e-4f);
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const F y = p * (r * r) + r + 1.f;
  const I ni = __builtin_convertvector(n, I);
  const I half = ni >> 1;
  const F scale_a = (F)((half + 127) << 23), scale_b = (F)((ni - half + 127) << 23);
  const F out = y * scale_a * scale_b;
  return x != x ? x : out;
}

// With e = exp(-|x|) <= 1 nothing overflows: 1/(1+e) for x >= 0, e/(1+e) below,
// so tiny results (down to the denormals) keep their precision.
template <class F, class I>
F sigmoid(F x) {
  const F e = exp<F, I>(-abs_of<F, I>(x));
  const F numerator = x < 0.f ? e : splat<F>(1.f);
  return numerator / (e + 1.f);
}

template <class F, class I>
F tanh(F x) {
  const F ax = abs_of<F, I>(x);
  const F s = x * x;
  F p = splat<F>(-5.70498872745e-3f);
  p = p * s + 2.06390887954e-2f;
  p = p * s - 5.37397155531e-2f;
  p = p * s + 1.33314422036e-1f;
  p = p * s - 3.33332819422e-1f;
  // Both branches on |x|, the sign put back last (so tanh(-0) = -0).
  const F small = p * s * ax + ax;
  const F large = 1.f - 2.f / (exp<F, I>(ax + ax) + 1.f);
  return with_sign_of<F, I>(ax < 0.625f ? small : large, x);
}

template <class F, class I>
F erf(F x) {
  const F ax = abs_of<F, I>(x);
  // Taylor: 2/sqrt(pi) * sum (-1)^k x^(2k+1) / (k! (2k+1)), to x^13 (error < 5e-10 at 0.5).
  const F s = x * x;
  F p = splat<F>(1.2055332981789664e-4f);  // c/9360
  p = p * s - 8.548327023450852e-4f;       // c/1320
  p = p * s + 5.223977625442187e-3f;       // c/216
  p = p * s - 2.6866170645131252e-2f;      // c/42
  p = p * s + 1.1283791670955126e-1f;      // c/10
  p = p * s - 3.7612638903183754e-1f;      // c/3
  p = p * s + 1.1283791670955126f;         // c = 2/sqrt(pi)
  const F small = p * x;
  const F t = 1.f / (ax * 0.5f + 1.f);
  F q = splat<F>(0.17087277f);
  q = q * t - 0.82215223f;
  q = q * t + 1.48851587f;
  q = q * t - 1.13520398f;
  q = q * t + 0.27886807f;
  q = q * t - 0.18628806f;
  q = q * t + 0.09678418f;
  q = q * t + 0.37409196f;
  q = q * t + 1.00002368f;
  q = q * t - 1.26551223f;
  const F erfc = t * exp<F, I>(q - ax * ax);
  const F large = with_sign_of<F, I>(1.f - erfc, x);
  return ax < 0.5f ? small : large;
}

template <class F, class I>
F gelu(F x) {
  return x * 0.5f * (erf<F, I>(x * 0.70710678118654752f) + 1.f);
}

// Applies fn lane-wise over a span; the tail goes through a zero-padded vector.
template <class F, F (*fn)(F)>
void map_span(const float* in, float* out, int64_t n) {
  constexpr int64_t kWidth = sizeof(F) / sizeof(float);
  int64_t i = 0;
  for (; i + kWidth <= n; i += kWidth) {
    F v;
    __builtin_memcpy(&v, in + i, sizeof(F));
    v = fn(v);
    __builtin_memcpy(out + i, &v, sizeof(F));
  }
  if (i == n) return;
  F v{};
  __builtin_memcpy(&v, in + i, static_cast<size_t>(n - i) * sizeof(float));
  v = fn(v);
  __builtin_memcpy(out + i, &v, static_cast<size_t>(n - i) * sizeof(float));
}

template <class F, class I>
VectorMath make_vector_math(Isa isa) {
  return VectorMath{isa,
                    map_span<F, exp<F, I>>,
                    map_span<F, sigmoid<F, I>>,
                    map_span<F, tanh<F, I>>,
                    map_span<F, erf<F, I>>,
                    map_span<F, gelu<F, I>>};
}

}  // namespace neuropipe::nn::kernels::lanes
