// AVX-512 micro-kernel: an 8x32 tile in 16 zmm accumulators (two vectors per
// row), so each k step is 2 loads + 8 broadcasts feeding 16 FMAs. One body
// serves packed B panels and B rows read in place (shifted windows).
#include <immintrin.h>

#include "nn/kernels/gemm_micro_kernel.hpp"

namespace neuropipe::nn::kernels {

namespace {
constexpr int kMr = 8;
constexpr int kNr = 32;

// b_row(k) gives the address of the tile's 32 B values at depth k.
template <class BRow>
inline void tile_avx512(int64_t kc, const float* a, BRow b_row, float* c, int64_t ldc, bool accumulate) {
  __m512 acc0[kMr], acc1[kMr];
#pragma GCC unroll 8
  for (int r = 0; r < kMr; ++r) acc0[r] = acc1[r] = _mm512_setzero_ps();
  for (int64_t k = 0; k < kc; ++k, a += kMr) {
    const float* b = b_row(k);
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

void micro_kernel_avx512(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, bool accumulate) {
  tile_avx512(
      kc, a, [b](int64_t k) { return b + k * kNr; }, c, ldc, accumulate);
}

void micro_kernel_shifted_avx512(int64_t kc, const float* a, const float* b_base, const int64_t* offsets,
                                 float* c, int64_t ldc, bool accumulate) {
  tile_avx512(
      kc, a, [b_base, offsets](int64_t k) { return b_base + offsets[k]; }, c, ldc, accumulate);
}
}  // namespace

const GemmMicroKernel& gemm_micro_kernel_avx512() {
  static const GemmMicroKernel k{Isa::avx512, kMr, kNr, micro_kernel_avx512, micro_kernel_shifted_avx512};
  return k;
}

}  // namespace neuropipe::nn::kernels
