#pragma once
// Running a generator on an image larger than its training size in
// overlapping tiles. Each tile's result is weighted by a ramp that falls
// towards the tile's inner edges, so neighbouring tiles cross-fade across the
// overlap instead of meeting at a visible seam.
#include <functional>
#include <vector>

#include <opencv2/core.hpp>

namespace neuropipe::translate {

// Tile rectangles of `tile` size covering `image` with at least `overlap`
// pixels shared between neighbours; the last row/column is aligned to the
// image edge. An image smaller than a tile is one tile of its own size.
std::vector<cv::Rect> tile_grid(cv::Size image, cv::Size tile, int overlap);

// `run` maps a BGR tile to a BGR tile of the same size.
cv::Mat run_tiled(const cv::Mat& bgr, cv::Size tile, int overlap,
                  const std::function<cv::Mat(const cv::Mat&)>& run);

}  // namespace neuropipe::translate
