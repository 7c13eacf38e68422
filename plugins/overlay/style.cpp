#include "style.hpp"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace neuropipe::overlay {

Style Style::for_frame(cv::Size frame, double user_scale) {
  // 480 lines is the reference size; text grows with the shorter side.
  const double s = std::max(0.5, std::min(frame.width, frame.height) / 480.0) * user_scale;
  Style style;
  style.font = cv::FONT_HERSHEY_SIMPLEX;
  style.font_scale = 0.5 * s;
  style.text_thickness = std::max(1, static_cast<int>(std::lround(1.2 * s)));
  style.line_thickness = std::max(1, static_cast<int>(std::lround(2.0 * s)));
  style.point_radius = std::max(2, static_cast<int>(std::lround(2.5 * s)));
  style.padding = std::max(2, static_cast<int>(std::lround(3.0 * s)));
  return style;
}

}  // namespace neuropipe::overlay
