// The dispatch table: one entry per ISA, the best one picked once from CPUID.
#include "nn/kernels/gemm_micro_kernel.hpp"

#include <string>

#include "neuropipe/error.hpp"

namespace neuropipe::nn::kernels {

const GemmMicroKernel& gemm_micro_kernel(Isa isa) {
  if (!cpu_supports(isa)) throw Error(std::string("GEMM: this CPU does not support ") + isa_name(isa));
  switch (isa) {
    case Isa::avx512:
      return gemm_micro_kernel_avx512();
    case Isa::avx2:
      return gemm_micro_kernel_avx2();
    case Isa::scalar:
      break;
  }
  return gemm_micro_kernel_scalar();
}

const GemmMicroKernel& best_gemm_micro_kernel() {
  static const GemmMicroKernel& best = gemm_micro_kernel(best_isa());
  return best;
}

}  // namespace neuropipe::nn::kernels
