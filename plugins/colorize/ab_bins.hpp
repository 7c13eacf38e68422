#pragma once
// The quantised ab colours a classification colorizer predicts a distribution
// over (Zhang et al.'s 313 in-gamut bins, assets/colorize/ab_bins_313.txt).
#include <filesystem>
#include <vector>

#include <opencv2/core.hpp>

namespace neuropipe::colorize {

// One "a b" pair per line; '#' starts a comment. Errors name the file and line.
std::vector<cv::Vec2f> read_ab_bins(const std::filesystem::path& file);

}  // namespace neuropipe::colorize
