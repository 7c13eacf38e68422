#pragma once
// Text on a filled background, so it reads on any picture.
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "style.hpp"

namespace neuropipe::overlay {

// Draws `text` with its top-left corner at `corner` (moved inside the image
// when it would leave it). Returns the rectangle the label covers.
cv::Rect draw_label(cv::Mat& image, const std::string& text, cv::Point corner, const cv::Scalar& background,
                    const Style& style);

// Lines stacked downwards from `corner`.
void draw_lines(cv::Mat& image, const std::vector<std::string>& lines, cv::Point corner, const Style& style);

// A subtitle: centred near the bottom, wrapped to the image width.
void draw_subtitle(cv::Mat& image, const std::string& text, const Style& style);

}  // namespace neuropipe::overlay
