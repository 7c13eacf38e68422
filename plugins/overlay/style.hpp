#pragma once
// Sizes of everything the overlay draws, derived from the frame size so the
// same pipeline is readable from 480p to 4K.
#include <opencv2/core.hpp>

namespace neuropipe::overlay {

struct Style {
  double font_scale = 0.5;   // cv::putText scale
  int text_thickness = 1;
  int line_thickness = 2;    // boxes
  int point_radius = 2;      // landmarks
  int padding = 3;           // around text on its background
  int font = 0;              // cv::FONT_HERSHEY_SIMPLEX

  // `user_scale` multiplies the automatic size (the `font_scale` parameter).
  static Style for_frame(cv::Size frame, double user_scale);
};

}  // namespace neuropipe::overlay
