#include "class_scores.hpp"

#include <algorithm>
#include <cmath>
#include <neuropipe/error.hpp>
#include <numeric>

namespace neuropipe::classify {

std::vector<float> probabilities(const nn::Tensor& output, const std::string& decoding) {
  nn::Tensor f = output.dtype() == nn::DType::f32 ? output : output.to(nn::DType::f32);
  std::vector<float> p(f.span<float>().begin(), f.span<float>().end());
  if (decoding == "softmax") return p;
  if (decoding != "logits")
    throw Error("classify: unknown output decoding '" + decoding + "' (softmax or logits)");
  const float max = *std::max_element(p.begin(), p.end());
  double sum = 0;
  for (auto& v : p) sum += (v = std::exp(v - max));
  for (auto& v : p) v = static_cast<float>(v / sum);
  return p;
}

std::vector<std::vector<float>> batch_probabilities(const nn::Tensor& output, const std::string& decoding) {
  if (output.rank() == 0 || output.dim(0) < 1)
    throw Error("classify: output shape " + nn::shape_to_string(output.shape()) + " has no batch dimension");
  const int64_t rows = output.dim(0), per_row = output.numel() / rows;
  const nn::Tensor f = output.dtype() == nn::DType::f32 ? output : output.to(nn::DType::f32);
  std::vector<std::vector<float>> out;
  for (int64_t n = 0; n < rows; ++n) {
    const nn::Tensor row =
        nn::Tensor::view(nn::DType::f32, {per_row}, const_cast<float*>(f.data<float>()) + n * per_row);
    out.push_back(probabilities(row, decoding));
  }
  return out;
}

std::vector<Classification> top_k(const std::vector<float>& probs, int k, float min_score,
                                  const std::vector<std::string>& labels) {
  std::vector<int> order(probs.size());
  std::iota(order.begin(), order.end(), 0);
  const size_t n = std::min(order.size(), static_cast<size_t>(std::max(k, 0)));
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n), order.end(),
                    [&](int a, int b) { return probs[size_t(a)] > probs[size_t(b)]; });
  std::vector<Classification> out;
  for (size_t i = 0; i < n; ++i) {
    const int id = order[i];
    if (probs[size_t(id)] < min_score) break;
    out.push_back({id, size_t(id) < labels.size() ? labels[size_t(id)] : "class " + std::to_string(id),
                   probs[size_t(id)]});
  }
  return out;
}

std::string short_label(const std::string& label) { return label.substr(0, label.find(',')); }

void smooth(std::vector<float>& state, const std::vector<float>& probs, float alpha) {
  if (state.size() != probs.size()) {
    state = probs;
    return;
  }
  for (size_t i = 0; i < probs.size(); ++i) state[i] = alpha * state[i] + (1.f - alpha) * probs[i];
}

}  // namespace neuropipe::classify
