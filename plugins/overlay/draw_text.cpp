#include "draw_text.hpp"

#include <algorithm>
#include <sstream>

#include <opencv2/imgproc.hpp>

namespace neuropipe::overlay {

namespace {

cv::Size text_size(const std::string& text, const Style& style, int* baseline) {
  return cv::getTextSize(text, style.font, style.font_scale, style.text_thickness, baseline);
}

// Black or white text, whichever contrasts more with the background.
cv::Scalar text_color(const cv::Scalar& background) {
  const double luma = 0.114 * background[0] + 0.587 * background[1] + 0.299 * background[2];
  return luma > 140 ? cv::Scalar(0, 0, 0) : cv::Scalar(255, 255, 255);
}

std::vector<std::string> wrap(const std::string& text, int max_width, const Style& style) {
  std::vector<std::string> lines;
  std::istringstream words(text);
  std::string line;
  for (std::string word; words >> word;) {
    const std::string candidate = line.empty() ? word : line + " " + word;
    int baseline = 0;
    if (!line.empty() && text_size(candidate, style, &baseline).width > max_width) {
      lines.push_back(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

}  // namespace

cv::Rect draw_label(cv::Mat& image, const std::string& text, cv::Point corner, const cv::Scalar& background,
                    const Style& style) {
  int baseline = 0;
  const cv::Size size = text_size(text, style, &baseline);
  cv::Rect box(corner, cv::Size(size.width + 2 * style.padding, size.height + baseline + 2 * style.padding));
  box.x = std::clamp(box.x, 0, std::max(0, image.cols - box.width));
  box.y = std::clamp(box.y, 0, std::max(0, image.rows - box.height));
  cv::rectangle(image, box, background, cv::FILLED);
  const cv::Point origin(box.x + style.padding, box.y + style.padding + size.height);
  cv::putText(image, text, origin, style.font, style.font_scale, text_color(background), style.text_thickness,
              cv::LINE_AA);
  return box;
}

void draw_lines(cv::Mat& image, const std::vector<std::string>& lines, cv::Point corner, const Style& style) {
  for (const auto& line : lines) {
    const cv::Rect box = draw_label(image, line, corner, cv::Scalar(32, 32, 32), style);
    corner.y = box.y + box.height;
  }
}

void draw_subtitle(cv::Mat& image, const std::string& text, const Style& style) {
  const auto lines = wrap(text, image.cols * 9 / 10, style);
  int baseline = 0;
  const int line_height = text_size("Ag", style, &baseline).height + baseline + 2 * style.padding;
  int y = image.rows - static_cast<int>(lines.size()) * line_height - 2 * style.padding;
  for (const auto& line : lines) {
    const int width = text_size(line, style, &baseline).width + 2 * style.padding;
    draw_label(image, line, {(image.cols - width) / 2, y}, cv::Scalar(0, 0, 0), style);
    y += line_height;
  }
}

}  // namespace neuropipe::overlay
