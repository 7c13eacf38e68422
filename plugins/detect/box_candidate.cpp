#include "box_candidate.hpp"

#include <algorithm>

namespace neuropipe::detect {

float iou(const cv::Rect2f& a, const cv::Rect2f& b) {
  const float overlap = (a & b).area();
  const float united = a.area() + b.area() - overlap;
  return united > 0.f ? overlap / united : 0.f;
}

std::vector<BoxCandidate> non_max_suppression(std::vector<BoxCandidate> boxes, float max_iou) {
  // stable: equal scores keep the model's order (parity with the reference)
  std::stable_sort(boxes.begin(), boxes.end(),
                   [](const BoxCandidate& a, const BoxCandidate& b) { return a.score > b.score; });
  if (max_iou >= 1.f) return boxes;
  std::vector<BoxCandidate> kept;
  for (const auto& candidate : boxes) {
    const bool suppressed = std::any_of(kept.begin(), kept.end(), [&](const BoxCandidate& k) {
      return k.class_index == candidate.class_index && iou(k.box, candidate.box) > max_iou;
    });
    if (!suppressed) kept.push_back(candidate);
  }
  return kept;
}

}  // namespace neuropipe::detect
