#pragma once
// Warps a face onto a descriptor model's 5-point template (face_align, and
// face_identify when it enrols a gallery the same way): the similarity that
// best maps the detector's 5 landmarks (right eye, left eye, nose, right and
// left mouth corner, image left first) onto the template, applied with
// cv::warpAffine. A face without 5 landmarks is cut as a square around its
// box grown by `margin`, zero-padded outside the frame.
#include <neuropipe/metadata.hpp>
#include <neuropipe/models/store.hpp>
#include <vector>

namespace neuropipe::face {

// The ArcFace / InsightFace 112x112 template (the de-facto standard 5-point
// layout), scaled to `size`.
std::vector<cv::Point2f> arcface_template(cv::Size size);

class FaceAligner {
 public:
  FaceAligner(cv::Size crop_size, std::vector<cv::Point2f> template_points, float box_margin);
  // The template of a descriptor model's manifest entry: `extra.align_template`
  // (5 [x, y] points in model-input pixels) when given, else ArcFace scaled to
  // the model's input size.
  static FaceAligner for_model(const models::ModelEntry& descriptor, float box_margin);

  AlignedFace align(const cv::Mat& bgr, const Detection& face) const;
  const std::vector<cv::Point2f>& template_points() const { return template_; }
  cv::Size crop_size() const { return size_; }

 private:
  cv::Matx23f box_transform(const cv::Rect2f& box) const;

  cv::Size size_;
  std::vector<cv::Point2f> template_;
  float margin_;
};

}  // namespace neuropipe::face
