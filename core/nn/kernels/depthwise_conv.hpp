#pragma once
// Direct depthwise convolution (one input channel per output channel, 2-D or
// 1-D lifted): a GEMM with K = 9 would spend its time packing, while sliding
// the kernel over whole output rows keeps the inner loop a vectorisable axpy.
#include <cstdint>

#include "nn/kernels/activation.hpp"
#include "nn/kernels/conv_geometry.hpp"

namespace neuropipe::nn::kernels {

// One output plane from one input plane (g.in, depth 1) and its kh*kw weights,
// then bias, the residual plane (skip connection, may be null) and activation.
void depthwise_conv2d_plane(const float* input, const float* weights, float bias, const Activation& act,
                            const ConvGeometry& g, float* output, const float* residual = nullptr);

}  // namespace neuropipe::nn::kernels
