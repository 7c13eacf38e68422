#pragma once
// The input of detectors that take any size but expect the caller to scale it
// (the ONNX model zoo's Faster R-CNN): the frame is scaled, aspect kept, so
// its shorter side is `shorter_side`, normalised per the manifest, then
// zero-padded at the right and bottom to sides that are multiples of
// `multiple`. The padding is zero *after* normalisation (the zoo pads the
// mean-subtracted image), and results map back through `fit` (scale only).
#include <neuropipe/plugin/vision.hpp>

namespace neuropipe::detect {

// Scaled size: each side rounded to the nearest pixel, at least 1.
cv::Size shorter_side_size(cv::Size frame, int shorter_side);

// `multiple` <= 1: no padding. Needs an NCHW or NHWC 3-channel f32 spec.
plugin::PreparedInput prepare_shorter_side_input(const cv::Mat& bgr, const models::InputSpec& spec,
                                                 int shorter_side, int multiple);

}  // namespace neuropipe::detect
