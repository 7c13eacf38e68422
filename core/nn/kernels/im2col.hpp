#pragma once
// Image patches <-> matrix columns for convolutions that are not pointwise.
//
// Convolution packs patches straight into GEMM B panels (implicit im2col):
// only the KC x NC block a tile needs is ever materialised, in cache.
// Transposed convolution goes the other way: the GEMM yields one column per
// input pixel and col2im scatters (adds) them into the output image.
#include <cstdint>

#include "nn/kernels/conv_geometry.hpp"

namespace neuropipe::nn::kernels {

// Rows [k0, k0+kc) (channel, kd, kh, kw) x columns [n0, n0+nc) (output pixels) of
// the im2col matrix of `image` (g.channels planes of g.in), as NR-wide panels
// (the layout of BPanelPacker); padding reads as zero.
void pack_im2col_panels(const float* image, const ConvGeometry& g, int64_t k0, int64_t kc, int64_t n0,
                        int64_t nc, int nr, float* dst);

// image[c] += col2im(columns) for c in [c_begin, c_end): `columns` has
// channels*kernel_size rows of g.out_plane() values, the image g.in planes.
void col2im_add(const float* columns, const ConvGeometry& g, int64_t c_begin, int64_t c_end, float* image);

}  // namespace neuropipe::nn::kernels
