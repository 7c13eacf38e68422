// UltraFace RFB-320 (Linzaer). `scores` is [1,N,2] softmax (background,
// face). The full export decodes boxes inside the graph (x1,y1,x2,y2
// normalised to the input); the simplified export leaves SSD regressions
// that we decode against the same priors the training code generates.
#include <cmath>
#include <neuropipe/error.hpp>

#include "face_decoder.hpp"

namespace neuropipe::face {

namespace {

struct Prior {
  float cx, cy, w, h;  // normalised to the input
};

// Priors in the training code's order: feature map, row, column, min size.
std::vector<Prior> ssd_priors(cv::Size input, const std::vector<int>& strides,
                              const std::vector<std::vector<float>>& min_sizes) {
  std::vector<Prior> priors;
  for (size_t level = 0; level < strides.size(); ++level) {
    const int cols = int(std::ceil(float(input.width) / strides[level]));
    const int rows = int(std::ceil(float(input.height) / strides[level]));
    for (int r = 0; r < rows; ++r)
      for (int c = 0; c < cols; ++c)
        for (float size : min_sizes[level])
          priors.push_back({(c + 0.5f) / cols, (r + 0.5f) / rows, size / input.width, size / input.height});
  }
  return priors;
}

FaceCandidate candidate(float x1, float y1, float x2, float y2, float score, cv::Size input) {
  return {
      {x1 * input.width, y1 * input.height, (x2 - x1) * input.width, (y2 - y1) * input.height}, score, {}};
}

}  // namespace

FaceDecoder make_ultraface_decoder(const models::ModelEntry&) {
  return [](const nn::NamedTensors& outputs, int batch_item, cv::Size input, float min_score) {
    const nn::Tensor& scores = output(outputs, "scores");
    const int64_t n = scores.dim(1);
    const float* s = scores.data<float>() + batch_item * n * 2;
    const float* b = output(outputs, "boxes").data<float>() + batch_item * n * 4;
    std::vector<FaceCandidate> faces;
    for (int64_t i = 0; i < n; ++i)
      if (s[i * 2 + 1] >= min_score)
        faces.push_back(candidate(b[i * 4], b[i * 4 + 1], b[i * 4 + 2], b[i * 4 + 3], s[i * 2 + 1], input));
    return faces;
  };
}

FaceDecoder make_ultraface_raw_decoder(const models::ModelEntry& entry) {
  const auto strides = entry.extra.at("strides").get<std::vector<int>>();
  const auto min_sizes = entry.extra.at("min_sizes").get<std::vector<std::vector<float>>>();
  if (strides.size() != min_sizes.size())
    throw Error("model '" + entry.name + "': extra.strides and extra.min_sizes differ in length");
  const float center_var = entry.extra.value("center_variance", 0.1f);
  const float size_var = entry.extra.value("size_variance", 0.2f);
  const std::string name = entry.name;
  return [=](const nn::NamedTensors& outputs, int batch_item, cv::Size input, float min_score) {
    const std::vector<Prior> priors = ssd_priors(input, strides, min_sizes);
    const nn::Tensor& scores = output(outputs, "scores");
    if (scores.dim(1) != int64_t(priors.size()))
      throw Error("model '" + name + "': " + std::to_string(scores.dim(1)) + " boxes but " +
                  std::to_string(priors.size()) + " priors for input " + std::to_string(input.width) + "x" +
                  std::to_string(input.height));
    const float* s = scores.data<float>() + batch_item * priors.size() * 2;
    const float* loc = output(outputs, "boxes").data<float>() + batch_item * priors.size() * 4;
    std::vector<FaceCandidate> faces;
    for (size_t i = 0; i < priors.size(); ++i) {
      if (s[i * 2 + 1] < min_score) continue;
      const Prior& p = priors[i];
      const float* l = loc + i * 4;
      const float cx = p.cx + l[0] * center_var * p.w, cy = p.cy + l[1] * center_var * p.h;
      const float w = p.w * std::exp(l[2] * size_var), h = p.h * std::exp(l[3] * size_var);
      faces.push_back(candidate(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, s[i * 2 + 1], input));
    }
    return faces;
  };
}

}  // namespace neuropipe::face
