#pragma once
// Distinct, stable colours: the same class id (or track id) always gets the
// same colour, in every frame and every run.
#include <opencv2/core.hpp>

namespace neuropipe::overlay {

// BGR colour for an id (class id, track id, mask label); negative ids are grey.
cv::Scalar color_for(int id);

// A 256-entry BGR lookup table (CV_8UC3, 1x256) of color_for(0..255).
cv::Mat palette_lut();

}  // namespace neuropipe::overlay
