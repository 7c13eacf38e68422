#pragma once
// Convolution as a GEMM over shifted windows of a zero-padded image: no im2col.
//
// Pad the image with zeros and split it into stride_h x stride_w phase images
// (phase (py, px) holds the padded pixels (i*stride_h + py, j*stride_w + px)).
// Lay the output pixels out at the phase width Wq (pixel (oh, ow) at column
// oh*Wq + ow). Then the im2col row of tap (c, kh, kw) is one contiguous window
// of a phase image, at an offset that depends on the tap only, so the GEMM's
// micro-kernel reads B in place (ShiftedRows) and nothing is packed per call
// besides the padding copy (C*H*W values, against K*N multiply-adds). Columns
// ow >= Wout of each row are junk: computed, then dropped when the result is
// written to Y with the epilogue.
#include "nn/kernels/conv_geometry.hpp"
#include "nn/kernels/gemm.hpp"

namespace neuropipe::nn::kernels {

// True for 1-D and 2-D convolutions (depth 1, kernel larger than 1x1) whose junk
// columns stay a small share of the work (Wout at least 3/4 of Wq); the rest
// takes implicit im2col.
bool shifted_conv_applies(const ConvGeometry& g);

// Any 1-D/2-D geometry is computed correctly; the test above only says when
// this is the faster path.
// One group: Y[M x out_plane] = epilogue(weights[M x K] * im2col(image)), the
// epilogue being c's bias, residual and activation; c.data is Y (ldc = out_plane).
// c.accumulate is not supported (throws neuropipe::Error).
void conv_shifted(const GemmMicroKernel& kernel, const PackedA& weights, const float* image,
                  const ConvGeometry& g, const GemmC& c, bool parallel = true);

}  // namespace neuropipe::nn::kernels
