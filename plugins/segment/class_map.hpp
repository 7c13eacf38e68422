#pragma once
// Turning a segmentation model's output tensor into per-pixel class ids on
// the frame, undoing how the frame was fitted into the model input.
#include <neuropipe/nn/tensor.hpp>
#include <neuropipe/plugin/vision.hpp>
#include <opencv2/core.hpp>
#include <string>

namespace neuropipe::segment {

// Output decodings this plugin reads (the manifest's `outputs[0].decoding`):
//   deeplab_logits  per-class logits, layout from extra.output_layout (default NHWC)
//   logits_nhwc     [1,H,W,C] per-class logits
//   logits_nchw     [1,C,H,W] per-class logits (torchvision FCN/DeepLabV3/LRASPP `out`)
//   person_prob     [1,H,W,1] or [1,1,H,W] person probability (classes: background, person)
enum class Decoding { logits_nhwc, logits_nchw, person_prob };
// `output_layout` is the manifest's extra.output_layout ("" when absent).
Decoding parse_decoding(const std::string& decoding, const std::string& output_layout);

struct ClassMap {
  cv::Mat labels;      // CV_8UC1, frame size: class id per pixel
  cv::Mat confidence;  // CV_32FC1, frame size, person_prob only: the probability (empty otherwise)
  int num_classes = 0;
};

// `threshold` applies to person_prob only. Throws naming the tensor shape
// when it does not fit the decoding.
ClassMap decode(const nn::Tensor& output, Decoding decoding, const plugin::Fit& fit, float threshold);

}  // namespace neuropipe::segment
