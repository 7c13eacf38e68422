#pragma once
// The two separable steps of a plain 2-D float MaxPool, compiled per ISA and
// picked at run time (vectors of 4, 8 or 16 floats):
//  - columns: the element-wise max of a window's input rows (vertical step);
//  - row stride 1 / stride 2: out[j] = max of row[s*j + kw], kw < k, over a
//    row already reduced over the window's input rows (horizontal step).
// Stride 2 (YuNet's 2x2, SqueezeNet's and GoogLeNet's 3x3/2) takes each tap
// as one even-lanes shuffle of two loads (depthwise_conv_lanes.hpp); stride 1
// (GoogLeNet's 3x3/1 pad-1 pool in every inception block) one unaligned load.
// Every kernel keeps the scalar op's order and NaN handling: a row max starts
// from the first row and takes a later row's value v only when v > m; a
// window max starts from lowest() and takes v only when v > m (a NaN tap is skipped).
#include <cstdint>

#include "nn/kernels/cpu_features.hpp"

namespace neuropipe::nn::kernels {

// out[j] = max over kw < k of row[2j + kw], for j < count. Reads
// row[0 .. 2 * count + k - 1]: one float past the last window (an odd lane of
// the last shuffle, dropped), so the caller keeps that float readable.
void max_pool_row_stride2(const float* row, int64_t k, int64_t count, float* out);
// out[j] = max over kw < k of row[j + kw], for j < count. Reads row[0 .. count + k - 2] only.
void max_pool_row_stride1(const float* row, int64_t k, int64_t count, float* out);
// out[i] = in[i], then out[i] = in[t * row_stride + i] when greater, for
// t = 1 .. taps - 1 in order; i < count (count may span several rows).
void max_pool_columns(const float* in, int64_t row_stride, int64_t taps, int64_t count, float* out);
// Stride 1 where every output row is as wide as its input row (pads summing
// to k - 1, GoogLeNet's 3x3/1 pad-1 pool): count outputs of consecutive rows
// of width w (row_max and out both of pitch w, out[0] at a row start), out[j]
// = max over the taps of j's window that lie inside j's row (lowest() when
// none), with no per-edge code: planes of 7- and 14-wide rows fill whole
// vectors. Requires pad < k; reads row_max[0, count) only.
void max_pool_rows_stride1_same(const float* row_max, int64_t w, int64_t k, int64_t pad, int64_t count,
                                float* out);

// The kernels of one ISA (tests compare every ISA the CPU has); throw when the CPU lacks it.
void max_pool_row_stride2(Isa isa, const float* row, int64_t k, int64_t count, float* out);
void max_pool_row_stride1(Isa isa, const float* row, int64_t k, int64_t count, float* out);
void max_pool_columns(Isa isa, const float* in, int64_t row_stride, int64_t taps, int64_t count, float* out);
void max_pool_rows_stride1_same(Isa isa, const float* row_max, int64_t w, int64_t k, int64_t pad, int64_t count,
                                float* out);

struct MaxPoolKernels {
  void (*row_stride2)(const float* row, int64_t k, int64_t count, float* out);
  void (*row_stride1)(const float* row, int64_t k, int64_t count, float* out);
  void (*columns)(const float* in, int64_t row_stride, int64_t taps, int64_t count, float* out);
  void (*rows_stride1_same)(const float* row_max, int64_t w, int64_t k, int64_t pad, int64_t count, float* out);
};
MaxPoolKernels max_pool_kernels_scalar();
MaxPoolKernels max_pool_kernels_avx2();
MaxPoolKernels max_pool_kernels_avx512();

}  // namespace neuropipe::nn::kernels
