#pragma once
// One image-to-image style network from the model manifest: fits frames into
// its fixed input (letterbox or stretch), runs a batch, and maps each output
// back onto its source frame's size.
#include <memory>
#include <span>
#include <string>
#include <vector>

#include <neuropipe/nn/session_pool.hpp>
#include <neuropipe/plugin/sdk.hpp>
#include <neuropipe/plugin/vision.hpp>

namespace neuropipe::stylize {

class StyleModel {
 public:
  StyleModel(const std::string& model_name, plugin::ResizeMode fit, plugin::Context& ctx);

  // Stylised copies of `frames` (8-bit BGR), each the size of its source.
  std::vector<cv::Mat> run(std::span<const cv::Mat> frames);

 private:
  cv::Mat to_frame(const nn::Tensor& output, int64_t n, const plugin::Fit& fit) const;

  std::string name_;
  plugin::ResizeMode fit_;
  models::InputSpec input_;
  std::string output_name_;
  nn::ImageToTensor output_spec_;  // how the output tensor maps back to pixels
  std::unique_ptr<nn::SessionPool> sessions_;
};

}  // namespace neuropipe::stylize
