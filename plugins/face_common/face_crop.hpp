#pragma once
// Face crops for descriptor models.
#include <opencv2/core.hpp>

namespace neuropipe::face {

// The face-api ResNet-34 recipe: the box (grown by `margin` of its size on
// each side), clipped to the image, zero-padded to a centred square. The
// caller resizes the square to the model size.
cv::Mat padded_square_crop(const cv::Mat& bgr, const cv::Rect2f& box, float margin);

}  // namespace neuropipe::face
