#pragma once
// The part of Resize that Upsample shares: attribute parsing and running a
// resize once every dim's input size, output size and scale are known.
#include <vector>

#include "nn/kernel.hpp"
#include "nn/ops/resample/resize_taps.hpp"

namespace neuropipe::nn::ops {

// Mode and coordinate attributes; before opset 11 only `mode` exists and the
// rest is fixed to Upsample's behaviour.
ResizeOptions parse_resize_options(const KernelBuildContext& b);

// Writes output 0: `x` resized as `axes` (one entry per dim) describes.
void run_resize(KernelContext& ctx, const Tensor& x, const std::vector<AxisResize>& axes,
                const ResizeOptions& options);

}  // namespace neuropipe::nn::ops
