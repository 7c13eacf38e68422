#include "temporal_blend.hpp"

#include <opencv2/imgproc.hpp>

namespace neuropipe::stylize {
namespace {

// Blurred so sensor noise and compression artefacts do not count as motion.
cv::Mat smooth_grey(const cv::Mat& bgr) {
  cv::Mat grey, smooth;
  cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
  grey.convertTo(grey, CV_32F);
  cv::GaussianBlur(grey, smooth, cv::Size(5, 5), 0);
  return smooth;
}

}  // namespace

cv::Mat TemporalBlend::apply(const cv::Mat& input, const cv::Mat& styled, int64_t index) {
  cv::Mat grey = smooth_grey(input), current;
  styled.convertTo(current, CV_32FC3);
  const bool continues = index == last_index_ + 1 && last_styled_.size() == styled.size();
  if (continues && weight_ > 0.f) {
    cv::Mat w = previous_weight(grey), w3;
    cv::merge(std::vector<cv::Mat>{w, w, w}, w3);
    current = last_styled_.mul(w3) + current.mul(cv::Scalar::all(1.0) - w3);
  }
  last_index_ = index;
  last_grey_ = grey;
  last_styled_ = current;
  cv::Mat out;
  current.convertTo(out, CV_8UC3);
  return out;
}

// weight * (1 - change / threshold), clamped to [0, weight]: full blending
// for still pixels, none from the threshold on.
cv::Mat TemporalBlend::previous_weight(const cv::Mat& grey) const {
  cv::Mat change, w;
  cv::absdiff(grey, last_grey_, change);
  w = 1.0 - change / threshold_;
  cv::max(w, 0.0, w);
  return w * weight_;
}

}  // namespace neuropipe::stylize
