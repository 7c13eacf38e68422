#pragma once
// kernel_shape / strides / dilations / pads / auto_pad / ceil_mode, as Conv,
// ConvTranspose and the pooling ops share them, and the ONNX rules that turn
// them plus an input size into output size and padding.
#include <string>
#include <vector>

#include "nn/kernel.hpp"

namespace neuropipe::nn::ops {

enum class AutoPad { notset, same_upper, same_lower, valid };

struct SpatialAttributes {
  std::vector<int64_t> kernel_shape;              // empty: from the weights (Conv)
  std::vector<int64_t> strides, dilations, pads;  // empty: defaults
  AutoPad auto_pad = AutoPad::notset;
  bool ceil_mode = false;

  // Reads and validates the attributes (positive strides/dilations, non-negative pads).
  static SpatialAttributes parse(const KernelBuildContext& b);
};

// Everything per spatial dimension after the rules are applied.
struct SpatialPlan {
  std::vector<int64_t> kernel, stride, dilation, pad_begin, pad_end, out;
};

// Output size and padding of a convolution/pooling over `in` (spatial dims only)
// with `kernel`; ctx.fail on inconsistent attributes or an empty output.
SpatialPlan plan_spatial(const KernelContext& ctx, const SpatialAttributes& a, const std::vector<int64_t>& in,
                         const std::vector<int64_t>& kernel);

}  // namespace neuropipe::nn::ops
