#pragma once
// Direct convolution for layers with few output channels (the RGB heads of
// style-transfer / image-to-image networks, e.g. Johnson's 9x9 16->3) or few
// input channels (RGB stems, e.g. YuNet's 3x3/2 3->16). For the heads the
// GEMM's 8-row tiles would be mostly empty around 1000+ deep patches; for the
// stems K = 27 is too shallow to pay for the GEMM's per-tile overheads. Here
// up to 4 outputs of a block of columns stay in vector registers while the
// taps of every input channel stream past; more outputs go 4 at a time.
//
// Input rows are staged like the depthwise kernel's (depthwise_conv.hpp): a
// ring of zero-padded, stride-phase-split rows per input channel, so every tap
// is a contiguous vector load whatever the stride, dilation or padding. Taps
// are summed in (channel, kh, kw) order, the GEMM's K order. One implementation
// over GCC vector types (conv_small_output_lanes.hpp), compiled per ISA.
#include <cstdint>
#include <vector>

#include "nn/kernels/activation.hpp"
#include "nn/kernels/conv_geometry.hpp"
#include "nn/kernels/cpu_features.hpp"

namespace neuropipe::nn::kernels {

constexpr int64_t kSmallOutputBlock = 4;  // output channels kept in registers at once

// Whether a one-group convolution with these sizes takes this kernel: at most
// 4 outputs (any depth), or at most 4 input channels and 32 outputs, with a
// kernel larger than 1x1 (pointwise layers are a plain GEMM on the image).
bool small_output_applies(int64_t out_channels, int64_t in_channels, int64_t kernel_size);

// W [M, C, kh, kw] (one group, 2-D or 1-D lifted) rearranged block by block:
// for each block of mb <= 4 outputs starting at m0, packed[m0 * patch + tap * mb + m]
// with tap = (c * kh + i) * kw + j.
std::vector<float> pack_small_output_weights(const float* w, int64_t m, int64_t patch);

// Output rows [row_begin, row_end) of all M planes: image is g.channels input
// planes (g.in, depth 1), out M planes of g.out, residual (may be null) M planes
// added after the bias, then the activation. Uses best_isa().
void conv_small_output_rows(const float* image, const float* packed_weights, int64_t m, const float* bias,
                            const Activation& act, const ConvGeometry& g, int64_t row_begin, int64_t row_end,
                            float* out, const float* residual);
// The same on a given ISA (tests compare every ISA the CPU has).
void conv_small_output_rows(Isa isa, const float* image, const float* packed_weights, int64_t m,
                            const float* bias, const Activation& act, const ConvGeometry& g,
                            int64_t row_begin, int64_t row_end, float* out, const float* residual);

// What the per-ISA kernels receive (they use no std:: containers; see
// depthwise_conv.hpp for why).
struct SmallOutputCall {
  const float* image;
  const float* weights;  // packed as above
  int64_t m;
  const float* bias;  // may be null
  const Activation* act;
  const ConvGeometry* g;
  int64_t row_begin, row_end;
  float* out;
  const float* residual;
  int64_t row_len;         // floats per phase of a staged row
  int64_t ring;            // staged rows kept per input channel
  float* rows;             // channels * ring * stride_w * row_len floats, then one zero row
  int64_t* row_tags;       // channels * ring: the input row each slot holds (-1: none)
  int64_t* tap_offsets;    // kw entries: phase * row_len + column shift of each horizontal tap
  const float** tap_rows;  // channels * kh entries: the staged row of each (channel, vertical tap)
};

struct SmallOutputKernel {
  Isa isa;
  int64_t block;  // widest block of output columns; staged rows are padded to a multiple of it
  void (*rows)(const SmallOutputCall&);
};

const SmallOutputKernel& small_output_kernel_scalar();
const SmallOutputKernel& small_output_kernel_avx2();
const SmallOutputKernel& small_output_kernel_avx512();

}  // namespace neuropipe::nn::kernels
