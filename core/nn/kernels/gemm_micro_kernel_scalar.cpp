// Portable micro-kernel: plain loops the compiler vectorises for the baseline
// (SSE2) target. The fallback for CPUs without AVX2+FMA.
#include "nn/kernels/gemm_micro_kernel.hpp"

namespace neuropipe::nn::kernels {

namespace {
constexpr int kMr = 4;
constexpr int kNr = 8;

// b_row(k) gives the address of the tile's 8 B values at depth k.
template <class BRow>
void tile_scalar(int64_t kc, const float* a, BRow b_row, float* c, int64_t ldc, bool accumulate) {
  float acc[kMr][kNr] = {};
  for (int64_t k = 0; k < kc; ++k, a += kMr) {
    const float* b = b_row(k);
    for (int r = 0; r < kMr; ++r)
      for (int j = 0; j < kNr; ++j) acc[r][j] += a[r] * b[j];
  }
  for (int r = 0; r < kMr; ++r)
    for (int j = 0; j < kNr; ++j) c[r * ldc + j] = accumulate ? c[r * ldc + j] + acc[r][j] : acc[r][j];
}

void micro_kernel_scalar(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, bool accumulate) {
  tile_scalar(
      kc, a, [b](int64_t k) { return b + k * kNr; }, c, ldc, accumulate);
}

void micro_kernel_shifted_scalar(int64_t kc, const float* a, const float* b_base, const int64_t* offsets,
                                 float* c, int64_t ldc, bool accumulate) {
  tile_scalar(
      kc, a, [b_base, offsets](int64_t k) { return b_base + offsets[k]; }, c, ldc, accumulate);
}
}  // namespace

const GemmMicroKernel& gemm_micro_kernel_scalar() {
  static const GemmMicroKernel k{Isa::scalar, kMr, kNr, micro_kernel_scalar, micro_kernel_shifted_scalar};
  return k;
}

}  // namespace neuropipe::nn::kernels
