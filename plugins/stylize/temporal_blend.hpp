#pragma once
// Temporal stability for video: style networks answer small changes of the
// input with large changes of texture, so static parts of a scene flicker.
// Where the input barely changed since the previous frame, the new stylised
// pixel is blended with the previous stylised pixel (a per-pixel running
// average); where it moved, the new result is taken as it is.
#include <cstdint>

#include <opencv2/core.hpp>

namespace neuropipe::stylize {

class TemporalBlend {
 public:
  // weight: share of the previous result in static regions (0 = off);
  // motion_threshold: grey-level change at which a pixel counts as moving.
  TemporalBlend(float weight, float motion_threshold) : weight_(weight), threshold_(motion_threshold) {}

  // Frames of one stream in order; a gap in `index` (or a size change) starts over.
  cv::Mat apply(const cv::Mat& input, const cv::Mat& styled, int64_t index);

 private:
  cv::Mat previous_weight(const cv::Mat& grey) const;

  float weight_, threshold_;
  int64_t last_index_ = -2;
  cv::Mat last_grey_;    // previous input, grey and blurred (CV_32F)
  cv::Mat last_styled_;  // previous output (CV_32FC3)
};

}  // namespace neuropipe::stylize
