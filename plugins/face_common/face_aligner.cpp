#include "face_aligner.hpp"

#include <algorithm>
#include <neuropipe/error.hpp>
#include <opencv2/imgproc.hpp>

#include "similarity_transform.hpp"

namespace neuropipe::face {

std::vector<cv::Point2f> arcface_template(cv::Size size) {
  // insightface/python-package/insightface/utils/face_align.py, arcface_dst.
  static const cv::Point2f points112[5] = {{38.2946f, 51.6963f},
                                           {73.5318f, 51.5014f},
                                           {56.0252f, 71.7366f},
                                           {41.5493f, 92.3655f},
                                           {70.7299f, 92.2041f}};
  const float sx = float(size.width) / 112.f, sy = float(size.height) / 112.f;
  std::vector<cv::Point2f> scaled;
  for (const auto& p : points112) scaled.emplace_back(p.x * sx, p.y * sy);
  return scaled;
}

FaceAligner::FaceAligner(cv::Size crop_size, std::vector<cv::Point2f> template_points, float box_margin)
    : size_(crop_size), template_(std::move(template_points)), margin_(box_margin) {
  if (size_.width <= 0 || size_.height <= 0) throw Error("face alignment needs a positive crop size");
  if (template_.size() != 5)
    throw Error("a face alignment template needs 5 points, got " + std::to_string(template_.size()));
}

FaceAligner FaceAligner::for_model(const models::ModelEntry& descriptor, float box_margin) {
  if (!descriptor.input) throw Error("model '" + descriptor.name + "' has no input spec in the manifest");
  const cv::Size size(descriptor.input->width, descriptor.input->height);
  if (!descriptor.extra.contains("align_template")) return {size, arcface_template(size), box_margin};
  std::vector<cv::Point2f> points;
  try {
    for (const auto& xy : descriptor.extra.at("align_template"))
      points.emplace_back(xy.at(0).get<float>(), xy.at(1).get<float>());
  } catch (const std::exception& e) {
    throw Error("model '" + descriptor.name + "' (manifest line " + std::to_string(descriptor.line) +
                "): extra.align_template must be 5 [x, y] points: " + e.what());
  }
  return {size, std::move(points), box_margin};
}

// A square around the box centre, side = longer box side grown by the margin
// on each side, scaled onto the crop.
cv::Matx23f FaceAligner::box_transform(const cv::Rect2f& box) const {
  const float side = std::max(box.width, box.height) * (1.f + 2.f * margin_);
  if (side <= 0.f) throw Error("face box has no area");
  const float sx = float(size_.width) / side, sy = float(size_.height) / side;
  const cv::Point2f centre = (box.tl() + box.br()) * 0.5f;
  return {sx,  0.f, float(size_.width) / 2.f - sx * centre.x,
          0.f, sy,  float(size_.height) / 2.f - sy * centre.y};
}

AlignedFace FaceAligner::align(const cv::Mat& bgr, const Detection& face) const {
  AlignedFace aligned;
  const bool by_landmarks = face.landmarks.size() == template_.size();
  aligned.method = by_landmarks ? "landmarks" : "box";
  aligned.transform = by_landmarks ? estimate_similarity(face.landmarks, template_) : box_transform(face.box);
  cv::warpAffine(bgr, aligned.crop, cv::Mat(aligned.transform), size_, cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                 cv::Scalar::all(0));
  return aligned;
}

}  // namespace neuropipe::face
