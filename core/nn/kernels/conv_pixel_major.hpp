#pragma once
// Convolution with a small output plane as the transposed GEMM
//   Y^T [pixels x M] = patches^T [pixels x K] * W^T [K x M].
//
// The micro-kernel's NR (32 with AVX-512) columns are the output pixels in
// the usual form, so a 7x7 plane (49 pixels) fills 64 columns and a 14x14
// one 224 (23% and 12.5% of the multiply-adds wasted; ResNet-50's last stage
// ran at ~135 GFLOP/s against ~180 elsewhere). Here the pixels are A's MR (8)
// rows, 49 -> 56 and 196 -> 200, and the output channels fill B's columns.
// W^T is packed once at load (pack_pixel_major_weights); the patches are
// packed per call, straight into A panels (in chunks of pixels of at most
// 4 MB of patches, should a larger plane ever come this way). Every output value is the same
// chain of multiply-adds in the same depth order as in the usual form, so
// the results are bit-identical to it.
#include "nn/kernels/conv_geometry.hpp"
#include "nn/kernels/gemm.hpp"

namespace neuropipe::nn::kernels {

// True when a 1-D/2-D, one-group convolution with `m` output channels and an
// output plane of `out_plane` pixels wastes clearly less of the micro-kernel
// tiles in this form (small planes: 7x7, 14x14).
bool pixel_major_conv_pays(const GemmMicroKernel& kernel, int64_t m, int64_t out_plane);

// W [M x K] (K = C * kernel taps, one group) as GEMM B = W^T, K x M.
PackedB pack_pixel_major_weights(const GemmMicroKernel& kernel, const float* w, int64_t m, int64_t k);

// One image, one group: Y = epilogue(conv(image)), c.data is Y [M x out_plane]
// (ldc = out_plane) with c's bias, residual and activation. Any 1-D/2-D
// geometry (strides, dilations, padding) is computed; c.accumulate is not
// supported (throws neuropipe::Error).
void conv_pixel_major(const GemmMicroKernel& kernel, const PackedB& weights, const float* image,
                      const ConvGeometry& g, const GemmC& c, bool parallel = true);

}  // namespace neuropipe::nn::kernels
