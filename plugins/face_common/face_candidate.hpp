#pragma once
// A face as a detector's decoder reports it, in model-input pixels, before
// selection (non-maximum suppression) and before it is mapped onto the frame.
#include <opencv2/core.hpp>
#include <vector>

namespace neuropipe::face {

struct FaceCandidate {
  cv::Rect2f box;  // model-input pixels, x,y,w,h
  float score = 0.f;
  std::vector<cv::Point2f> landmarks;  // model-input pixels; empty when the model has none
};

float iou(const cv::Rect2f& a, const cv::Rect2f& b);

// Greedy NMS: best score first; a face overlapping a kept one by more than
// `max_iou` is dropped. The result is sorted by score, best first.
std::vector<FaceCandidate> non_max_suppression(std::vector<FaceCandidate> faces, float max_iou);

}  // namespace neuropipe::face
