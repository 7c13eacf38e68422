#pragma once
// CenterNet (Zhou et al., "Objects as Points") output decoding.
//  - decoded in the graph: detections [1,N,6] = x1,y1,x2,y2 (input pixels), score, class;
//  - heads only: a sigmoid class heatmap [1,H,W,C] (NHWC, stride `stride`) and box sizes
//    [1,H,W,4] = distances left, top, right, bottom from the peak, in input pixels
//    (measured: this reproduces the graph's own decoding of the same model).
//    Peaks are cells that equal the maximum of their 3x3 neighbourhood (the paper's
//    max-pool "NMS"); the `top_k` best peaks above `min_score` become boxes.
#include <neuropipe/nn/tensor.hpp>
#include <vector>

#include "box_candidate.hpp"

namespace neuropipe::detect {

std::vector<BoxCandidate> decode_centernet_detections(const nn::Tensor& detections, float min_score);

struct HeatmapDecoding {
  float stride = 4.f;
  float min_score = 0.3f;
  int top_k = 100;
};

std::vector<BoxCandidate> decode_centernet_heads(const nn::Tensor& heatmap, const nn::Tensor& box_sizes,
                                                 const HeatmapDecoding& how);

}  // namespace neuropipe::detect
