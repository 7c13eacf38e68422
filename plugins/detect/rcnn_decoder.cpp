#include "rcnn_decoder.hpp"

#include <neuropipe/error.hpp>
#include <string>

namespace neuropipe::detect {

std::vector<BoxCandidate> decode_rcnn(const nn::Tensor& boxes, const nn::Tensor& labels,
                                      const nn::Tensor& scores, float min_score) {
  const int64_t n = boxes.rank() == 2 ? boxes.dim(0) : -1;
  if (boxes.dtype() != nn::DType::f32 || n < 0 || boxes.dim(1) != 4 || labels.numel() != n ||
      scores.numel() != n || scores.dtype() != nn::DType::f32)
    throw Error("rcnn: outputs boxes " + nn::shape_to_string(boxes.shape()) + ", labels " +
                nn::shape_to_string(labels.shape()) + ", scores " + nn::shape_to_string(scores.shape()) +
                " do not form [N,4], [N], [N] (f32 boxes and scores)");
  const std::vector<int64_t> ids = labels.to_int64_vector();
  const float* b = boxes.data<float>();
  const float* s = scores.data<float>();
  std::vector<BoxCandidate> out;
  for (int64_t i = 0; i < n; ++i) {
    if (s[i] < min_score) continue;
    const float* r = b + 4 * i;
    out.push_back({cv::Rect2f(cv::Point2f(r[0], r[1]), cv::Point2f(r[2], r[3])), int(ids[size_t(i)]), s[i]});
  }
  return out;
}

}  // namespace neuropipe::detect
