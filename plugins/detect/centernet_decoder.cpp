#include "centernet_decoder.hpp"

#include <algorithm>
#include <neuropipe/error.hpp>
#include <string>

namespace neuropipe::detect {

namespace {

void expect_shape(const nn::Tensor& t, size_t rank, int64_t last, const std::string& what) {
  if (t.dtype() != nn::DType::f32 || t.rank() != rank || (last > 0 && t.dim(rank - 1) != last) ||
      t.dim(0) != 1)
    throw Error("centernet: " + what + " has shape " + nn::shape_to_string(t.shape()) + " (" +
                nn::dtype_name(t.dtype()) + "), expected f32 rank " + std::to_string(rank) +
                (last > 0 ? " ending in " + std::to_string(last) : std::string()) + " with batch 1");
}

// True when heat[y][x][c] is the maximum of its 3x3 neighbourhood in channel c.
bool is_peak(const float* heat, int height, int width, int classes, int y, int x, int c) {
  const float v = heat[(size_t(y) * width + x) * classes + c];
  for (int dy = -1; dy <= 1; ++dy)
    for (int dx = -1; dx <= 1; ++dx) {
      const int ny = y + dy, nx = x + dx;
      if (ny < 0 || nx < 0 || ny >= height || nx >= width) continue;
      if (heat[(size_t(ny) * width + nx) * classes + c] > v) return false;
    }
  return true;
}

}  // namespace

std::vector<BoxCandidate> decode_centernet_detections(const nn::Tensor& detections, float min_score) {
  expect_shape(detections, 3, 6, "detections output");
  std::vector<BoxCandidate> out;
  const float* row = detections.data<float>();
  for (int64_t i = 0; i < detections.dim(1); ++i, row += 6) {
    if (row[4] < min_score) continue;
    out.push_back(
        {cv::Rect2f(cv::Point2f(row[0], row[1]), cv::Point2f(row[2], row[3])), int(row[5]), row[4]});
  }
  return out;
}

std::vector<BoxCandidate> decode_centernet_heads(const nn::Tensor& heatmap, const nn::Tensor& box_sizes,
                                                 const HeatmapDecoding& how) {
  expect_shape(heatmap, 4, -1, "heatmap output");
  expect_shape(box_sizes, 4, 4, "box size output");
  const int height = int(heatmap.dim(1)), width = int(heatmap.dim(2)), classes = int(heatmap.dim(3));
  if (box_sizes.dim(1) != height || box_sizes.dim(2) != width)
    throw Error("centernet: box sizes " + nn::shape_to_string(box_sizes.shape()) + " do not match heatmap " +
                nn::shape_to_string(heatmap.shape()));
  const float* heat = heatmap.data<float>();
  const float* sizes = box_sizes.data<float>();
  std::vector<BoxCandidate> peaks;
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      for (int c = 0; c < classes; ++c) {
        const float score = heat[(size_t(y) * width + x) * classes + c];
        if (score < how.min_score || !is_peak(heat, height, width, classes, y, x, c)) continue;
        const float* ltrb = sizes + (size_t(y) * width + x) * 4;
        const float cx = x * how.stride, cy = y * how.stride;
        const cv::Point2f top_left(cx - ltrb[0], cy - ltrb[1]), bottom_right(cx + ltrb[2], cy + ltrb[3]);
        peaks.push_back({cv::Rect2f(top_left, bottom_right), c, score});
      }
  const size_t keep = std::min(peaks.size(), size_t(std::max(how.top_k, 0)));
  std::partial_sort(peaks.begin(), peaks.begin() + std::ptrdiff_t(keep), peaks.end(),
                    [](const BoxCandidate& a, const BoxCandidate& b) { return a.score > b.score; });
  peaks.resize(keep);
  return peaks;
}

}  // namespace neuropipe::detect
