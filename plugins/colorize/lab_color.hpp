#pragma once
// sRGB <-> CIE Lab (D65, 2-degree observer) with the formulas of
// skimage.color.rgb2lab / lab2rgb, the conversion the colorization networks
// were trained with (OpenCV's Lab uses another white point and 8-bit scaling).
#include <opencv2/core.hpp>

namespace neuropipe::colorize {

// 8-bit BGR (or 1-channel grey) -> CV_32FC3 (L in 0..100, a, b).
cv::Mat bgr_to_lab(const cv::Mat& bgr);

// CV_32FC3 Lab -> 8-bit BGR; out-of-gamut colours are clipped as skimage
// does (z < 0 set to 0, linear RGB clipped to [0, 1]), then rounded.
cv::Mat lab_to_bgr(const cv::Mat& lab);

}  // namespace neuropipe::colorize
