#pragma once
// Image <-> tensor conversion: the pre- and post-processing every vision
// model needs, done once here instead of in each plugin.
#include <opencv2/core.hpp>

#include "neuropipe/nn/tensor.hpp"

namespace neuropipe::nn {

struct ImageToTensor {
  bool nchw = true;                      // false: NHWC
  bool rgb = true;                       // true: swap B and R of a BGR source
  float scale = 1.f;                     // y = (x * scale - mean[c]) / std[c]
  float mean[3] = {0, 0, 0};             // per output channel
  float std[3] = {1, 1, 1};
  DType dtype = DType::f32;              // f16 for fp16 models
};

// 8-bit BGR (or gray) image, already resized to the model's size, to a
// [1,C,H,W] or [1,H,W,C] tensor.
Tensor image_to_tensor(const cv::Mat& bgr, const ImageToTensor& spec);
// Writes into batch slot `n` of an existing [N,...] tensor.
void image_to_tensor(const cv::Mat& bgr, const ImageToTensor& spec, Tensor& batch, int64_t n);

// [1,C,H,W] or [1,H,W,C] (C = 1 or 3) float tensor to an 8-bit BGR image:
// x = y * std + mean, then / scale (the inverse of the spec above), clamped.
cv::Mat tensor_to_image(const Tensor& t, const ImageToTensor& spec, int64_t n = 0);

}  // namespace neuropipe::nn
