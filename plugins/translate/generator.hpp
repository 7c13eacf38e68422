#pragma once
// One image-to-image generator from the model manifest (CycleGAN ResNet,
// pix2pix U-Net): BGR pixels in, BGR pixels of the same size out, with the
// manifest's normalisation and output decoding (image_tanh, ...).
#include <memory>
#include <string>

#include <neuropipe/nn/session_pool.hpp>
#include <neuropipe/plugin/sdk.hpp>
#include <neuropipe/plugin/vision.hpp>

namespace neuropipe::translate {

class Generator {
 public:
  Generator(const std::string& model_name, plugin::Context& ctx);

  // Any size for fully convolutional models: the image is padded (reflected)
  // to the model's size multiple and the result cropped back. Fixed-size
  // models take exactly fixed_size().
  cv::Mat run(const cv::Mat& bgr);

  bool any_size() const { return input_.dynamic_size; }
  cv::Size fixed_size() const { return {input_.width, input_.height}; }
  int size_multiple() const { return multiple_; }

 private:
  std::string name_;
  models::InputSpec input_;
  std::string output_name_;
  nn::ImageToTensor output_spec_;
  int multiple_ = 1;
  std::unique_ptr<nn::SessionPool> sessions_;
};

}  // namespace neuropipe::translate
