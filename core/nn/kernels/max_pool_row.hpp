#pragma once
// The horizontal step of a stride-2 2-D MaxPool (YuNet's 2x2, SqueezeNet's
// 3x3): out[j] = max of row[2j + kw], kw < k, over a row already reduced over
// the window's input rows. Scalar code spent ~10% of SqueezeNet here: every
// output gathers k strided floats. The vector kernels take whole vectors of
// outputs, each tap one even-lanes shuffle of two loads (depthwise_conv_lanes.hpp),
// compiled per ISA and picked at run time.
#include <cstdint>

#include "nn/kernels/cpu_features.hpp"

namespace neuropipe::nn::kernels {

// out[j] = max over kw < k of row[2j + kw], for j < count, in the scalar
// op's order and NaN handling: m = lowest(), then m = v > m ? v : m per tap
// (a NaN tap is skipped). Reads row[0 .. 2 * count + k - 1]: one float past
// the last window (an odd lane of the last shuffle, dropped), so the caller
// keeps that float readable.
void max_pool_row_stride2(const float* row, int64_t k, int64_t count, float* out);
// The kernel of one ISA (tests compare every ISA the CPU has); throws when the CPU lacks it.
void max_pool_row_stride2(Isa isa, const float* row, int64_t k, int64_t count, float* out);

using MaxPoolRowKernel = void (*)(const float* row, int64_t k, int64_t count, float* out);
MaxPoolRowKernel max_pool_row_kernel_scalar();
MaxPoolRowKernel max_pool_row_kernel_avx2();
MaxPoolRowKernel max_pool_row_kernel_avx512();

}  // namespace neuropipe::nn::kernels
