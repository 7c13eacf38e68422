#include "draw_mask.hpp"

#include <opencv2/imgproc.hpp>

#include "neuropipe/error.hpp"
#include "palette.hpp"

namespace neuropipe::overlay {

void draw_mask(cv::Mat& image, const SegmentationMask& mask, double alpha) {
  if (mask.labels.empty()) return;
  if (mask.labels.type() != CV_8UC1)
    throw Error("overlay: segmentation mask labels must be CV_8UC1, got type " + std::to_string(mask.labels.type()));
  cv::Mat labels = mask.labels;
  if (labels.size() != image.size()) cv::resize(mask.labels, labels, image.size(), 0, 0, cv::INTER_NEAREST);

  static const cv::Mat lut = palette_lut();
  cv::Mat labels3, colors, blended;
  cv::cvtColor(labels, labels3, cv::COLOR_GRAY2BGR);
  cv::LUT(labels3, lut, colors);
  cv::addWeighted(image, 1.0 - alpha, colors, alpha, 0.0, blended);
  blended.copyTo(image, labels != 0);
}

}  // namespace neuropipe::overlay
