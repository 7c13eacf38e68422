#pragma once
// Applying per-dim taps (resize_taps.hpp) to a tensor:
//  - nearest: one gather pass over all dims at once, for any element type;
//  - linear/cubic: one weighted pass per resized dim, innermost first (as
//    the ONNX reference nests them), in float;
//  - bilinear over the last two dims of NCHW: both passes fused, the common
//    case in segmentation and detection heads.
#include <vector>

#include "neuropipe/nn/tensor.hpp"
#include "nn/ops/resample/resize_taps.hpp"

namespace neuropipe::nn::ops {

// out[i] = in[taps_0.index[i_0], taps_1.index[i_1], ...] (one tap per output),
// or `fill` (the extrapolation value's bytes) where any dim is outside.
void resize_nearest(const Tensor& in, const std::vector<AxisTaps>& taps, const void* fill, Tensor& out);

// Weighted resize of float data, dim by dim; `taps` has one entry per dim.
void resize_weighted(const Tensor& in, const std::vector<AxisTaps>& taps, float extrapolation, Tensor& out);

// True when resize_weighted can run as one fused bilinear pass over NCHW planes.
bool is_plane_bilinear(const std::vector<AxisTaps>& taps);
void resize_plane_bilinear(const Tensor& in, const std::vector<AxisTaps>& taps, Tensor& out);

}  // namespace neuropipe::nn::ops
