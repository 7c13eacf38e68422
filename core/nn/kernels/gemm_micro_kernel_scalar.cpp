// Portable micro-kernel: plain loops the compiler vectorises for the baseline
// (SSE2) target. The fallback for CPUs without AVX2+FMA.
#include "nn/kernels/gemm_micro_kernel.hpp"

namespace neuropipe::nn::kernels {

namespace {
constexpr int kMr = 4;
constexpr int kNr = 8;

void micro_kernel_scalar(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, bool accumulate) {
  float acc[kMr][kNr] = {};
  for (int64_t k = 0; k < kc; ++k, a += kMr, b += kNr)
    for (int r = 0; r < kMr; ++r)
      for (int j = 0; j < kNr; ++j) acc[r][j] += a[r] * b[j];
  for (int r = 0; r < kMr; ++r)
    for (int j = 0; j < kNr; ++j) c[r * ldc + j] = accumulate ? c[r * ldc + j] + acc[r][j] : acc[r][j];
}
}  // namespace

const GemmMicroKernel& gemm_micro_kernel_scalar() {
  static const GemmMicroKernel k{Isa::scalar, kMr, kNr, micro_kernel_scalar};
  return k;
}

}  // namespace neuropipe::nn::kernels
