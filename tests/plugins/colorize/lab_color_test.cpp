// The plugin's sRGB <-> Lab against published CIE Lab values of the sRGB
// primaries (D65, as skimage.color.rgb2lab computes them), and its round trip.
#include <catch2/catch.hpp>

#include "lab_color.hpp"

using namespace neuropipe;

namespace {

cv::Vec3f lab_of(uchar r, uchar g, uchar b) {
  const cv::Mat bgr(1, 1, CV_8UC3, cv::Scalar(b, g, r));
  return colorize::bgr_to_lab(bgr).at<cv::Vec3f>(0, 0);
}

void check_lab(cv::Vec3f lab, double l, double a, double b) {
  CHECK(lab[0] == Approx(l).margin(0.05));
  CHECK(lab[1] == Approx(a).margin(0.05));
  CHECK(lab[2] == Approx(b).margin(0.05));
}

}  // namespace

TEST_CASE("Lab of the sRGB primaries, white and grey", "[colorize][unit]") {
  check_lab(lab_of(255, 0, 0), 53.24, 80.09, 67.20);
  check_lab(lab_of(0, 255, 0), 87.73, -86.18, 83.18);
  check_lab(lab_of(0, 0, 255), 32.30, 79.19, -107.86);
  check_lab(lab_of(255, 255, 255), 100.0, 0.0, 0.0);
  check_lab(lab_of(0, 0, 0), 0.0, 0.0, 0.0);
  check_lab(lab_of(128, 128, 128), 53.59, 0.0, 0.0);
}

TEST_CASE("grey pictures: one channel in, L only, no colour", "[colorize][unit]") {
  cv::Mat grey(1, 256, CV_8U);
  for (int v = 0; v < 256; ++v) grey.at<uchar>(0, v) = uchar(v);
  const cv::Mat lab = colorize::bgr_to_lab(grey);
  for (int v = 0; v < 256; ++v) {
    CHECK(std::abs(lab.at<cv::Vec3f>(0, v)[1]) < 0.01f);
    CHECK(std::abs(lab.at<cv::Vec3f>(0, v)[2]) < 0.01f);
  }
  CHECK(lab.at<cv::Vec3f>(0, 1)[0] < lab.at<cv::Vec3f>(0, 2)[0]);
}

TEST_CASE("BGR -> Lab -> BGR returns every 8-bit colour of a sample", "[colorize][unit]") {
  cv::Mat bgr(64, 64, CV_8UC3);
  cv::randu(bgr, 0, 256);
  const cv::Mat back = colorize::lab_to_bgr(colorize::bgr_to_lab(bgr));
  CHECK(cv::norm(back, bgr, cv::NORM_INF) == 0);
}

TEST_CASE("out-of-gamut Lab is clipped, not wrapped", "[colorize][unit]") {
  const cv::Mat lab(1, 1, CV_32FC3, cv::Scalar(50, 120, -120));  // far outside sRGB
  const cv::Vec3b bgr = colorize::lab_to_bgr(lab).at<cv::Vec3b>(0, 0);
  CHECK(bgr[0] == 255);  // blue saturates
  CHECK(bgr[1] == 0);    // green clipped at 0
}
