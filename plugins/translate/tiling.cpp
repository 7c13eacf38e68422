#include "tiling.hpp"

#include <algorithm>

namespace neuropipe::translate {
namespace {

std::vector<int> starts(int length, int tile, int overlap) {
  if (length <= tile) return {0};
  const int stride = std::max(1, tile - overlap);
  std::vector<int> out;
  for (int s = 0; s + tile < length; s += stride) out.push_back(s);
  out.push_back(length - tile);
  return out;
}

// 1 in the middle, falling linearly to 1/(overlap+1) at the tile's sides
// that face a neighbour (image borders keep full weight).
cv::Mat ramp(cv::Rect tile, cv::Size image, int overlap) {
  cv::Mat w(tile.size(), CV_32F);
  const int o = std::max(1, overlap);
  for (int y = 0; y < tile.height; ++y) {
    const float top = tile.y > 0 ? std::min(1.f, (y + 1.f) / o) : 1.f;
    const float bottom = tile.br().y < image.height ? std::min(1.f, float(tile.height - y) / o) : 1.f;
    for (int x = 0; x < tile.width; ++x) {
      const float left = tile.x > 0 ? std::min(1.f, (x + 1.f) / o) : 1.f;
      const float right = tile.br().x < image.width ? std::min(1.f, float(tile.width - x) / o) : 1.f;
      w.at<float>(y, x) = std::min(top, bottom) * std::min(left, right);
    }
  }
  return w;
}

}  // namespace

std::vector<cv::Rect> tile_grid(cv::Size image, cv::Size tile, int overlap) {
  const cv::Size t(std::min(tile.width, image.width), std::min(tile.height, image.height));
  std::vector<cv::Rect> tiles;
  for (int y : starts(image.height, t.height, overlap))
    for (int x : starts(image.width, t.width, overlap)) tiles.emplace_back(x, y, t.width, t.height);
  return tiles;
}

cv::Mat run_tiled(const cv::Mat& bgr, cv::Size tile, int overlap,
                  const std::function<cv::Mat(const cv::Mat&)>& run) {
  cv::Mat sum = cv::Mat::zeros(bgr.size(), CV_32FC3), weight = cv::Mat::zeros(bgr.size(), CV_32F);
  for (const cv::Rect& r : tile_grid(bgr.size(), tile, overlap)) {
    cv::Mat out, w3;
    run(bgr(r).clone()).convertTo(out, CV_32FC3);
    const cv::Mat w = ramp(r, bgr.size(), overlap);
    cv::merge(std::vector<cv::Mat>{w, w, w}, w3);
    sum(r) += out.mul(w3);
    weight(r) += w;
  }
  cv::Mat weight3, result;
  cv::merge(std::vector<cv::Mat>{weight, weight, weight}, weight3);
  cv::divide(sum, weight3, sum);
  sum.convertTo(result, CV_8UC3);
  return result;
}

}  // namespace neuropipe::translate
