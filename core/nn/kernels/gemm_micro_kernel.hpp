#pragma once
// The register-blocked heart of the packed GEMM: C[MR x NR] (+)= A_panel * B_panel
// over kc steps. A_panel holds kc groups of MR values (one column of the MR
// rows), B_panel kc groups of NR values; both are zero padded, so a kernel
// always computes a full tile and the driver handles edges.
#include <cstdint>

#include "nn/kernels/cpu_features.hpp"

namespace neuropipe::nn::kernels {

using MicroKernelFn = void (*)(int64_t kc, const float* a_panel, const float* b_panel, float* c, int64_t ldc,
                               bool accumulate);
// The same tile with B read in place instead of from a packed panel: row k of
// the tile's NR columns is b_base[b_row_offsets[k] .. + NR) (shifted windows of
// one buffer: a padded image, see conv_shifted.hpp), so nothing is packed.
using MicroKernelShiftedFn = void (*)(int64_t kc, const float* a_panel, const float* b_base,
                                      const int64_t* b_row_offsets, float* c, int64_t ldc, bool accumulate);

struct GemmMicroKernel {
  Isa isa;
  int mr;  // rows of A per panel
  int nr;  // columns of B per panel
  MicroKernelFn run;
  MicroKernelShiftedFn run_shifted;
};

// One per ISA; each lives in its own translation unit compiled for that ISA.
const GemmMicroKernel& gemm_micro_kernel_scalar();
const GemmMicroKernel& gemm_micro_kernel_avx2();
const GemmMicroKernel& gemm_micro_kernel_avx512();

// The table entry for `isa`; throws neuropipe::Error when the CPU lacks it.
const GemmMicroKernel& gemm_micro_kernel(Isa isa);
// The fastest kernel this CPU runs (chosen once from CPUID).
const GemmMicroKernel& best_gemm_micro_kernel();

}  // namespace neuropipe::nn::kernels
