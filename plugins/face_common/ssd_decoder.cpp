// face-api SSD-MobileNetV1: anchors are decoded inside the graph; `boxes` is
// [1,N,4] as (ymin, xmin, ymax, xmax) normalised to the (bottom/right
// zero-padded) square input and `scores` is [1,N] face probability.
#include "face_decoder.hpp"

namespace neuropipe::face {

FaceDecoder make_ssd_decoder(const models::ModelEntry&) {
  return [](const nn::NamedTensors& outputs, int batch_item, cv::Size input, float min_score) {
    const nn::Tensor& scores = output(outputs, "scores");
    const int64_t n = scores.dim(1);
    const float* s = scores.data<float>() + batch_item * n;
    const float* b = output(outputs, "boxes").data<float>() + batch_item * n * 4;
    std::vector<FaceCandidate> faces;
    for (int64_t i = 0; i < n; ++i) {
      if (s[i] < min_score) continue;
      const float* box = b + i * 4;
      const float x1 = box[1] * input.width, y1 = box[0] * input.height;
      faces.push_back({{x1, y1, box[3] * input.width - x1, box[2] * input.height - y1}, s[i], {}});
    }
    return faces;
  };
}

}  // namespace neuropipe::face
