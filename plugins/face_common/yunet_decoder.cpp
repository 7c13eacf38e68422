// YuNet (libfacedetection.train): per stride s in {8,16,32} one row per grid
// cell (row-major), with cls and obj probabilities, a box as (dx, dy, log w,
// log h) in stride units relative to the cell's corner, and 5 landmarks as
// (dx, dy) pairs in stride units. score = sqrt(cls * obj), as OpenCV's
// FaceDetectorYN decodes the same outputs.
#include <algorithm>
#include <cmath>

#include "face_decoder.hpp"

namespace neuropipe::face {

namespace {

struct StrideOutputs {
  int stride;
  const float *cls, *obj, *bbox, *kps;
  int cells;
};

StrideOutputs stride_outputs(const nn::NamedTensors& outputs, int stride, int batch_item) {
  const std::string s = std::to_string(stride);
  const nn::Tensor& cls = output(outputs, "cls_" + s);
  const int64_t cells = cls.dim(1);
  auto item = [&](const std::string& name, int64_t width) {
    return output(outputs, name).data<float>() + batch_item * cells * width;
  };
  return {stride,    item("cls_" + s, 1), item("obj_" + s, 1), item("bbox_" + s, 4), item("kps_" + s, 10),
          int(cells)};
}

float probability(float v) { return std::clamp(v, 0.f, 1.f); }

}  // namespace

FaceDecoder make_yunet_decoder(const models::ModelEntry& entry) {
  std::vector<int> strides = entry.extra.value("strides", std::vector<int>{8, 16, 32});
  const int landmarks = entry.extra.value("landmarks", 5);
  return
      [strides, landmarks](const nn::NamedTensors& outputs, int batch_item, cv::Size input, float min_score) {
        std::vector<FaceCandidate> faces;
        for (int stride : strides) {
          const StrideOutputs o = stride_outputs(outputs, stride, batch_item);
          const int cols = input.width / stride;
          for (int i = 0; i < o.cells; ++i) {
            const float score = std::sqrt(probability(o.cls[i]) * probability(o.obj[i]));
            if (score < min_score) continue;
            const float col = float(i % cols), row = float(i / cols);
            const float* b = o.bbox + i * 4;
            const float cx = (col + b[0]) * stride, cy = (row + b[1]) * stride;
            const float w = std::exp(b[2]) * stride, h = std::exp(b[3]) * stride;
            FaceCandidate face{{cx - w / 2, cy - h / 2, w, h}, score, {}};
            for (int k = 0; k < landmarks; ++k)
              face.landmarks.emplace_back((col + o.kps[i * 10 + 2 * k]) * stride,
                                          (row + o.kps[i * 10 + 2 * k + 1]) * stride);
            faces.push_back(std::move(face));
          }
        }
        return faces;
      };
}

}  // namespace neuropipe::face
