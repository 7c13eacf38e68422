// AVX-512 micro-kernel: an 8x32 tile in 16 zmm accumulators (two vectors per
// row), so each k step is 2 loads + 8 broadcasts feeding 16 FMAs.
#include <immintrin.h>

#include "nn/kernels/gemm_micro_kernel.hpp"

namespace neuropipe::nn::kernels {

namespace {
constexpr int kMr = 8;
constexpr int kNr = 32;

void micro_kernel_avx512(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, bool accumulate) {
  __m512 acc0[kMr], acc1[kMr];
#pragma GCC unroll 8
  for (int r = 0; r < kMr; ++r) acc0[r] = acc1[r] = _mm512_setzero_ps();
  for (int64_t k = 0; k < kc; ++k, a += kMr, b += kNr) {
    const __m512 b0 = _mm512_loadu_ps(b);
    const __m512 b1 = _mm512_loadu_ps(b + 16);
#pragma GCC unroll 8
    for (int r = 0; r < kMr; ++r) {
      const __m512 ar = _mm512_set1_ps(a[r]);
      acc0[r] = _mm512_fmadd_ps(ar, b0, acc0[r]);
      acc1[r] = _mm512_fmadd_ps(ar, b1, acc1[r]);
    }
  }
#pragma GCC unroll 8
  for (int r = 0; r < kMr; ++r) {
    float* row = c + r * ldc;
    if (accumulate) {
      acc0[r] = _mm512_add_ps(acc0[r], _mm512_loadu_ps(row));
      acc1[r] = _mm512_add_ps(acc1[r], _mm512_loadu_ps(row + 16));
    }
    _mm512_storeu_ps(row, acc0[r]);
    _mm512_storeu_ps(row + 16, acc1[r]);
  }
}
}  // namespace

const GemmMicroKernel& gemm_micro_kernel_avx512() {
  static const GemmMicroKernel k{Isa::avx512, kMr, kNr, micro_kernel_avx512};
  return k;
}

}  // namespace neuropipe::nn::kernels
