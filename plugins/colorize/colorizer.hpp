#pragma once
// One colorization network from the model manifest and the image path around
// it: BGR -> Lab, the L plane resized to the network input, the network, its
// ab prediction decoded (annealed mean over ab bins, or ab as predicted),
// resized to the network input size and then to the frame, recombined with the
// frame's own L, Lab -> BGR.
//
// Manifest decodings (outputs[0].decoding):
//   lab_ab_bins  [1,Q,h,w] logits over the Q bins of extra.ab_bins (ECCV16)
//   lab_ab       [1,2,h,w] ab in Lab units (SIGGRAPH17), times extra.ab_scale (default 1)
#include <memory>
#include <string>
#include <vector>

#include <neuropipe/models/store.hpp>
#include <neuropipe/nn/session_pool.hpp>
#include <opencv2/core.hpp>

namespace neuropipe::colorize {

// A colorized picture and how colourful it is (mean chroma sqrt(a^2+b^2)).
struct Colorized {
  cv::Mat bgr;
  double input_chroma = 0;   // 0 for a grey picture
  double output_chroma = 0;
};

// Mean sqrt(a^2 + b^2) of two ab planes.
double mean_chroma(const cv::Mat& a, const cv::Mat& b);

class Colorizer {
 public:
  // `bins` is needed for lab_ab_bins models and ignored otherwise.
  Colorizer(const models::ModelEntry& entry, std::shared_ptr<const nn::Model> model, std::vector<cv::Vec2f> bins);

  // The ab planes (CV_32FC2) at the network's input size for the L plane of
  // a whole image (CV_32F, 0..100, any size).
  cv::Mat predict_ab(const cv::Mat& l_plane, double temperature);

  // The whole path: `strength` blends the predicted ab with the image's own
  // (0 = the input's colours, 1 = the prediction); L is always the input's.
  Colorized colorize(const cv::Mat& bgr, double temperature, double strength);

  bool uses_bins() const { return uses_bins_; }
  cv::Size input_size() const { return {input_.width, input_.height}; }

 private:
  cv::Mat decode(const nn::Tensor& output, double temperature) const;

  std::string name_;
  models::InputSpec input_;
  std::string output_name_;
  bool uses_bins_ = false;
  float ab_scale_ = 1.f;
  std::vector<cv::Vec2f> bins_;
  nn::SessionPool sessions_;
};

// The manifest's ab bins file of a lab_ab_bins model (extra.ab_bins, a path
// under the assets folder); empty for other models.
std::vector<cv::Vec2f> manifest_ab_bins(const models::ModelEntry& entry, const std::filesystem::path& assets_dir);

}  // namespace neuropipe::colorize
