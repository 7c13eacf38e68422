#include "face_candidate.hpp"

#include <algorithm>

namespace neuropipe::face {

float iou(const cv::Rect2f& a, const cv::Rect2f& b) {
  const float overlap = (a & b).area();
  const float joint = a.area() + b.area() - overlap;
  return joint > 0.f ? overlap / joint : 0.f;
}

std::vector<FaceCandidate> non_max_suppression(std::vector<FaceCandidate> faces, float max_iou) {
  std::sort(faces.begin(), faces.end(), [](const auto& a, const auto& b) { return a.score > b.score; });
  std::vector<FaceCandidate> kept;
  for (auto& face : faces) {
    const bool overlaps = std::any_of(kept.begin(), kept.end(),
                                      [&](const FaceCandidate& k) { return iou(k.box, face.box) > max_iou; });
    if (!overlaps) kept.push_back(std::move(face));
  }
  return kept;
}

}  // namespace neuropipe::face
