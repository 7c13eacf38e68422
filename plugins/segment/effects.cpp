#include "effects.hpp"

#include <algorithm>
#include <fstream>
#include <neuropipe/error.hpp>
#include <opencv2/imgproc.hpp>
#include <sstream>

namespace neuropipe::segment {

cv::Mat generated_palette() {
  cv::Mat lut(1, 256, CV_8UC3);
  for (int id = 0; id < 256; ++id) {
    // Golden-angle hue steps keep neighbouring ids far apart in colour.
    const int hue = (id * 137) % 180;
    cv::Mat hsv(1, 1, CV_8UC3, cv::Scalar(hue, 200, 230)), bgr;
    cv::cvtColor(hsv, bgr, cv::COLOR_HSV2BGR);
    lut.at<cv::Vec3b>(0, id) = id == 0 ? cv::Vec3b(0, 0, 0) : bgr.at<cv::Vec3b>(0, 0);
  }
  return lut;
}

cv::Mat load_palette(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw Error("segment: cannot read palette file " + file.string());
  cv::Mat lut = generated_palette();
  std::string line;
  int id = 0, line_number = 0;
  while (std::getline(in, line) && id < 256) {
    ++line_number;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    int r = -1, g = -1, b = -1;
    if (!(fields >> r >> g >> b) || std::min({r, g, b}) < 0 || std::max({r, g, b}) > 255)
      throw Error("segment: " + file.string() + ":" + std::to_string(line_number) +
                  ": expected 'R G B' (0..255)");
    lut.at<cv::Vec3b>(0, id++) = cv::Vec3b(uint8_t(b), uint8_t(g), uint8_t(r));
  }
  return lut;
}

cv::Mat palette_wash(const cv::Mat& bgr, const cv::Mat& labels, const cv::Mat& palette, double alpha) {
  cv::Mat labels3, colours, blended;
  cv::cvtColor(labels, labels3, cv::COLOR_GRAY2BGR);
  cv::LUT(labels3, palette, colours);
  cv::addWeighted(bgr, 1.0 - alpha, colours, alpha, 0.0, blended);
  cv::Mat out = bgr.clone();
  blended.copyTo(out, labels != 0);
  return out;
}

cv::Mat foreground_matte(const cv::Mat& labels, const cv::Mat& confidence,
                         const std::vector<int>& foreground_ids, int feather) {
  cv::Mat matte;
  if (!confidence.empty()) {
    matte = confidence.clone();
  } else {
    cv::Mat selected = cv::Mat::zeros(labels.size(), CV_8UC1);
    for (int id : foreground_ids) selected |= (labels == id);
    selected.convertTo(matte, CV_32F, 1.0 / 255.0);
  }
  if (feather > 0) cv::GaussianBlur(matte, matte, cv::Size(), feather / 2.0 + 0.5);
  return matte;
}

cv::Mat composite(const cv::Mat& frame, const cv::Mat& background, const cv::Mat& matte) {
  cv::Mat f, b, m3, out;
  frame.convertTo(f, CV_32FC3);
  background.convertTo(b, CV_32FC3);
  cv::cvtColor(matte, m3, cv::COLOR_GRAY2BGR);
  out = b + (f - b).mul(m3);
  out.convertTo(out, CV_8UC3);
  return out;
}

cv::Mat blurred(const cv::Mat& frame, int radius) {
  const int factor = std::clamp(radius / 8, 1, 8);
  cv::Mat small, out;
  cv::resize(frame, small, cv::Size(std::max(1, frame.cols / factor), std::max(1, frame.rows / factor)), 0, 0,
             cv::INTER_AREA);
  cv::GaussianBlur(small, small, cv::Size(), std::max(0.5, double(radius) / factor / 2.0));
  cv::resize(small, out, frame.size(), 0, 0, cv::INTER_LINEAR);
  return out;
}

}  // namespace neuropipe::segment
