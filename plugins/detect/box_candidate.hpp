#pragma once
// A detector's raw result before it is mapped onto the frame: a box in the
// model input's pixels, the model's class index and a score. Every decoder
// produces these; selection (threshold, class filter, NMS, top-N) is shared.
#include <opencv2/core.hpp>
#include <vector>

namespace neuropipe::detect {

struct BoxCandidate {
  cv::Rect2f box;  // model-input pixels, x,y,w,h
  int class_index = -1;
  float score = 0.f;
};

float iou(const cv::Rect2f& a, const cv::Rect2f& b);

// Greedy per-class non-maximum suppression: best score first, a box is
// dropped when it overlaps an already kept box of its class by more than
// `max_iou`. `max_iou` >= 1 keeps everything. Result is sorted by score.
std::vector<BoxCandidate> non_max_suppression(std::vector<BoxCandidate> boxes, float max_iou);

}  // namespace neuropipe::detect
