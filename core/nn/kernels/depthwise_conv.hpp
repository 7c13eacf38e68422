#pragma once
// Direct depthwise convolution (one input channel per output channel, 2-D or
// 1-D lifted): a GEMM with K = 9 would spend its time packing, while sliding
// the kernel over whole output rows keeps the work in vector registers.
//
// The staged kernel: each input row is staged once per plane into a small ring of zero-padded
// rows, split into `stride` phases (phase p holds padded columns p, p+s,
// p+2s, ...), so every tap of every output column is a contiguous vector load
// whatever the stride, dilation or padding. Output columns are computed a
// register block at a time (all taps accumulated in registers, then bias,
// residual and activation, one store). Narrow stride-1 planes (14x14, 7x7)
// take a flattened variant: the whole plane zero-padded once, its rows
// computed as one run of full vectors (a row kernel would spend most of each
// short row on a partial vector and per-row set-up). One implementation over GCC vector
// types (depthwise_conv_lanes.hpp), compiled per ISA and picked at run time.
#include <cstdint>

#include "nn/kernels/activation.hpp"
#include "nn/kernels/conv_geometry.hpp"
#include "nn/kernels/cpu_features.hpp"

namespace neuropipe::nn::kernels {

// One output plane from one input plane (g.in, depth 1) and its kh*kw weights,
// then bias, the residual plane (skip connection, may be null; added after the
// bias) and activation. Wide rows (stride 1 or 2) take the staged kernel of
// best_isa(), narrow stride-1 planes its flattened variant, the rest (narrow,
// strided) a row kernel with less fixed cost per row.
void depthwise_conv2d_plane(const float* input, const float* weights, float bias, const Activation& act,
                            const ConvGeometry& g, float* output, const float* residual = nullptr);
// The vector kernel of a given ISA (flattened for narrow stride-1 planes,
// staged otherwise) whatever the shape (tests compare every ISA the CPU has); throws neuropipe::Error when the CPU lacks it.
void depthwise_conv2d_plane(Isa isa, const float* input, const float* weights, float bias,
                            const Activation& act, const ConvGeometry& g, float* output,
                            const float* residual = nullptr);

// The row kernel (baseline ISA, compiler-vectorised rows) whatever the shape:
// tests check that the vector kernels round exactly like it.
void depthwise_conv2d_plane_row_kernel(const float* input, const float* weights, float bias,
                                       const Activation& act, const ConvGeometry& g, float* output,
                                       const float* residual = nullptr);

// What the per-ISA kernels receive: the plane and the scratch the caller sized
// from depthwise_scratch (ISA files use no std:: containers, so that no
// template instance compiled for one ISA can be merged into another's code).
struct DepthwiseScratch {
  int64_t row_len = 0;    // floats per phase of a staged row: the output width rounded up + the tap reach
  int64_t ring = 0;       // staged input rows kept: (kh - 1) * dilation_h + 1 + stride_h (two output rows)
  float* rows = nullptr;  // ring * stride_w * row_len floats, then one zero row as long
  int64_t* row_tags = nullptr;       // ring entries: the input row each slot holds (-1: none)
  int64_t* tap_offsets = nullptr;    // kw entries: phase * row_len + column shift of each horizontal tap
  // The flattened kernel (stride 1, narrow planes) instead: `pitch` > 0 is the
  // row length of the zero-padded plane in `rows` (out_w + the taps' reach),
  // whose rows are computed as one long run of vectors into `sums`.
  int64_t pitch = 0;
  float* sums = nullptr;
  const float** tap_rows = nullptr;  // 2 * kh entries: the staged row (or zero row) of each vertical tap, two output rows
};

struct DepthwisePlane {
  const float* input;
  const float* weights;
  float bias;
  const Activation* act;
  const ConvGeometry* g;
  float* output;
  const float* residual;
  DepthwiseScratch scratch;
};

struct DepthwiseKernel {
  Isa isa;
  int64_t block;  // output columns per register block; staged rows are padded to a multiple of it
  void (*plane)(const DepthwisePlane&);
};

const DepthwiseKernel& depthwise_kernel_scalar();
const DepthwiseKernel& depthwise_kernel_avx2();
const DepthwiseKernel& depthwise_kernel_avx512();

}  // namespace neuropipe::nn::kernels
