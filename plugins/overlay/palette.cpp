#include "palette.hpp"

#include <cmath>

#include <opencv2/imgproc.hpp>

namespace neuropipe::overlay {

cv::Scalar color_for(int id) {
  if (id < 0) return {160, 160, 160};
  // Golden-ratio steps around the hue circle keep neighbouring ids far apart;
  // alternating value keeps every colour visible on dark and light pictures.
  const double hue = std::fmod(id * 0.618033988749895, 1.0) * 180.0;
  const double value = id % 2 == 0 ? 255.0 : 200.0;
  cv::Mat hsv(1, 1, CV_8UC3, cv::Scalar(hue, 220, value)), bgr;
  cv::cvtColor(hsv, bgr, cv::COLOR_HSV2BGR);
  const auto px = bgr.at<cv::Vec3b>(0, 0);
  return {double(px[0]), double(px[1]), double(px[2])};
}

cv::Mat palette_lut() {
  cv::Mat lut(1, 256, CV_8UC3);
  for (int i = 0; i < 256; ++i) {
    const cv::Scalar c = color_for(i);
    lut.at<cv::Vec3b>(0, i) = cv::Vec3b(cv::saturate_cast<uchar>(c[0]), cv::saturate_cast<uchar>(c[1]),
                                        cv::saturate_cast<uchar>(c[2]));
  }
  return lut;
}

}  // namespace neuropipe::overlay
