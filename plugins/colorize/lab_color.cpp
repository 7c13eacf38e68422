#include "lab_color.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <opencv2/core/utility.hpp>
#include <opencv2/imgproc.hpp>

#include <neuropipe/error.hpp>

namespace neuropipe::colorize {
namespace {

// skimage.color: xyz_from_rgb and the D65 2-degree white.
constexpr double kXyzFromRgb[3][3] = {{0.412453, 0.357580, 0.180423},
                                      {0.212671, 0.715160, 0.072169},
                                      {0.019334, 0.119193, 0.950227}};
constexpr double kWhite[3] = {0.95047, 1.0, 1.08883};

struct Matrix3 {
  double m[3][3];
};

Matrix3 inverse(const double (&a)[3][3]) {
  const double det = a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) -
                     a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) +
                     a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
  Matrix3 r;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) {
      // cofactor of a[j][i] (transposed adjugate)
      const int r0 = (j + 1) % 3, r1 = (j + 2) % 3, c0 = (i + 1) % 3, c1 = (i + 2) % 3;
      r.m[i][j] = (a[r0][c0] * a[r1][c1] - a[r0][c1] * a[r1][c0]) / det;
    }
  return r;
}

// sRGB gamma decoding of every 8-bit value, once.
const std::array<double, 256>& linear_of_8bit() {
  static const std::array<double, 256> table = [] {
    std::array<double, 256> t{};
    for (int v = 0; v < 256; ++v) {
      const double c = v / 255.0;
      t[v] = c > 0.04045 ? std::pow((c + 0.055) / 1.055, 2.4) : c / 12.92;
    }
    return t;
  }();
  return table;
}

double lab_f(double t) { return t > 0.008856 ? std::cbrt(t) : 7.787 * t + 16.0 / 116.0; }
double lab_f_inverse(double f) { return f > 0.2068966 ? f * f * f : (f - 16.0 / 116.0) / 7.787; }
double srgb_encode(double c) { return c > 0.0031308 ? 1.055 * std::pow(c, 1.0 / 2.4) - 0.055 : 12.92 * c; }

}  // namespace

cv::Mat bgr_to_lab(const cv::Mat& input) {
  if (input.depth() != CV_8U || (input.channels() != 3 && input.channels() != 1))
    throw Error("colorize: expected an 8-bit BGR or grey image");
  cv::Mat bgr = input;
  if (input.channels() == 1) cv::cvtColor(input, bgr, cv::COLOR_GRAY2BGR);
  const auto& linear = linear_of_8bit();
  cv::Mat lab(bgr.size(), CV_32FC3);
  cv::parallel_for_(cv::Range(0, bgr.rows), [&](const cv::Range& rows) {
    for (int y = rows.start; y < rows.end; ++y) {
      const cv::Vec3b* src = bgr.ptr<cv::Vec3b>(y);
      cv::Vec3f* dst = lab.ptr<cv::Vec3f>(y);
      for (int x = 0; x < bgr.cols; ++x) {
        const double rgb[3] = {linear[src[x][2]], linear[src[x][1]], linear[src[x][0]]};
        double f[3];
        for (int i = 0; i < 3; ++i)
          f[i] = lab_f((kXyzFromRgb[i][0] * rgb[0] + kXyzFromRgb[i][1] * rgb[1] + kXyzFromRgb[i][2] * rgb[2]) /
                       kWhite[i]);
        dst[x] = cv::Vec3f(float(116.0 * f[1] - 16.0), float(500.0 * (f[0] - f[1])), float(200.0 * (f[1] - f[2])));
      }
    }
  });
  return lab;
}

cv::Mat lab_to_bgr(const cv::Mat& lab) {
  if (lab.type() != CV_32FC3) throw Error("colorize: expected a CV_32FC3 Lab image");
  static const Matrix3 rgb_from_xyz = inverse(kXyzFromRgb);
  cv::Mat bgr(lab.size(), CV_8UC3);
  cv::parallel_for_(cv::Range(0, lab.rows), [&](const cv::Range& rows) {
    for (int y = rows.start; y < rows.end; ++y) {
      const cv::Vec3f* src = lab.ptr<cv::Vec3f>(y);
      cv::Vec3b* dst = bgr.ptr<cv::Vec3b>(y);
      for (int x = 0; x < lab.cols; ++x) {
        const double fy = (double(src[x][0]) + 16.0) / 116.0;
        const double f[3] = {double(src[x][1]) / 500.0 + fy, fy, std::max(0.0, fy - double(src[x][2]) / 200.0)};
        double xyz[3];
        for (int i = 0; i < 3; ++i) xyz[i] = lab_f_inverse(f[i]) * kWhite[i];
        for (int c = 0; c < 3; ++c) {
          const auto& row = rgb_from_xyz.m[c];
          const double linear = row[0] * xyz[0] + row[1] * xyz[1] + row[2] * xyz[2];
          const double encoded = std::clamp(srgb_encode(linear), 0.0, 1.0);
          dst[x][2 - c] = static_cast<uchar>(std::nearbyint(encoded * 255.0));  // RGB -> BGR slots
        }
      }
    }
  });
  return bgr;
}

}  // namespace neuropipe::colorize
