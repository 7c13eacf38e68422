#pragma once
// A segmentation mask blended over the picture, one palette colour per class.
#include <opencv2/core.hpp>

#include "neuropipe/metadata.hpp"

namespace neuropipe::overlay {

// Class 0 (background) stays untouched; `alpha` is the colour's weight.
void draw_mask(cv::Mat& image, const SegmentationMask& mask, double alpha);

}  // namespace neuropipe::overlay
