#pragma once
// Picture effects driven by a segmentation: a palette wash over the classes
// found, and background blur / replacement behind the foreground classes.
#include <filesystem>
#include <opencv2/core.hpp>
#include <vector>

namespace neuropipe::segment {

// One BGR colour per class id (CV_8UC3, 1x256) from an 'R G B' line file
// ('#' comments); ids past the file's end get distinct generated colours.
cv::Mat load_palette(const std::filesystem::path& file);
// Distinct generated colours for every id (models without a palette file).
cv::Mat generated_palette();

// Blends each non-background pixel towards its class colour by `alpha`.
cv::Mat palette_wash(const cv::Mat& bgr, const cv::Mat& labels, const cv::Mat& palette, double alpha);

// Foreground weight per pixel (CV_32FC1, 0..1): 1 where the class id is in
// `foreground_ids` (or, given a probability, the probability itself),
// softened over `feather` pixels so the cut-out edge does not look jagged.
cv::Mat foreground_matte(const cv::Mat& labels, const cv::Mat& confidence,
                         const std::vector<int>& foreground_ids, int feather);

// frame * matte + background * (1 - matte).
cv::Mat composite(const cv::Mat& frame, const cv::Mat& background, const cv::Mat& matte);
// The frame blurred with a Gaussian of `radius` pixels (computed on a
// downscaled copy: a strong blur looks the same and costs far less).
cv::Mat blurred(const cv::Mat& frame, int radius);

}  // namespace neuropipe::segment
