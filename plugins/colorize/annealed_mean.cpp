#include "annealed_mean.hpp"

#include <algorithm>
#include <cmath>

#include <opencv2/core/utility.hpp>

#include <neuropipe/error.hpp>

namespace neuropipe::colorize {

cv::Mat annealed_mean(const float* logits, int height, int width, const std::vector<cv::Vec2f>& bins,
                      double temperature) {
  if (!(temperature > 0)) throw Error("colorize: the annealing temperature must be > 0");
  const size_t plane = size_t(height) * width;
  const int count = static_cast<int>(bins.size());
  cv::Mat ab(height, width, CV_32FC2);
  cv::parallel_for_(cv::Range(0, height), [&](const cv::Range& rows) {
    std::vector<double> z(count);
    for (int y = rows.start; y < rows.end; ++y)
      for (int x = 0; x < width; ++x) {
        const size_t pixel = size_t(y) * width + x;
        double top = -INFINITY;
        for (int q = 0; q < count; ++q) top = std::max(top, z[q] = logits[q * plane + pixel] / temperature);
        double total = 0, a = 0, b = 0;  // subtracting the max keeps exp() finite for small T
        for (int q = 0; q < count; ++q) {
          const double p = std::exp(z[q] - top);
          total += p;
          a += p * bins[q][0];
          b += p * bins[q][1];
        }
        ab.at<cv::Vec2f>(y, x) = cv::Vec2f(float(a / total), float(b / total));
      }
  });
  return ab;
}

}  // namespace neuropipe::colorize
