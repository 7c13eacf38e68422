// AVX2+FMA micro-kernel: a 6x16 tile in 12 ymm accumulators, leaving registers
// for two B vectors and one broadcast A value per step. One body serves packed
// B panels and B rows read in place (shifted windows).
#include <immintrin.h>

#include "nn/kernels/gemm_micro_kernel.hpp"

namespace neuropipe::nn::kernels {

namespace {
constexpr int kMr = 6;
constexpr int kNr = 16;

// b_row(k) gives the address of the tile's 16 B values at depth k.
template <class BRow>
inline void tile_avx2(int64_t kc, const float* a, BRow b_row, float* c, int64_t ldc, bool accumulate) {
  __m256 acc0[kMr], acc1[kMr];
#pragma GCC unroll 6
  for (int r = 0; r < kMr; ++r) acc0[r] = acc1[r] = _mm256_setzero_ps();
  for (int64_t k = 0; k < kc; ++k, a += kMr) {
    const float* b = b_row(k);
    const __m256 b0 = _mm256_loadu_ps(b);
    const __m256 b1 = _mm256_loadu_ps(b + 8);
#pragma GCC unroll 6
    for (int r = 0; r < kMr; ++r) {
      const __m256 ar = _mm256_broadcast_ss(a + r);
      acc0[r] = _mm256_fmadd_ps(ar, b0, acc0[r]);
      acc1[r] = _mm256_fmadd_ps(ar, b1, acc1[r]);
    }
  }
#pragma GCC unroll 6
  for (int r = 0; r < kMr; ++r) {
    float* row = c + r * ldc;
    if (accumulate) {
      acc0[r] = _mm256_add_ps(acc0[r], _mm256_loadu_ps(row));
      acc1[r] = _mm256_add_ps(acc1[r], _mm256_loadu_ps(row + 8));
    }
    _mm256_storeu_ps(row, acc0[r]);
    _mm256_storeu_ps(row + 8, acc1[r]);
  }
}

void micro_kernel_avx2(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, bool accumulate) {
  tile_avx2(
      kc, a, [b](int64_t k) { return b + k * kNr; }, c, ldc, accumulate);
}

void micro_kernel_shifted_avx2(int64_t kc, const float* a, const float* b_base, const int64_t* offsets,
                               float* c, int64_t ldc, bool accumulate) {
  tile_avx2(
      kc, a, [b_base, offsets](int64_t k) { return b_base + offsets[k]; }, c, ldc, accumulate);
}
}  // namespace

const GemmMicroKernel& gemm_micro_kernel_avx2() {
  static const GemmMicroKernel k{Isa::avx2, kMr, kNr, micro_kernel_avx2, micro_kernel_shifted_avx2};
  return k;
}

}  // namespace neuropipe::nn::kernels
