#pragma once
// Helpers of the pass tests: the op list a loaded Model ended with, inputs,
// and comparisons of optimised against unoptimised runs.
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "neuropipe/nn/model.hpp"
#include "nn/runtime/model_impl.hpp"

namespace neuropipe::test {

inline std::vector<std::string> op_types(const nn::Model& model) {
  std::vector<std::string> ops;
  for (const auto& n : model.impl().graph->nodes) ops.push_back(n.op_type);
  return ops;
}

inline const nn::Node& only_node(const nn::Model& model, const std::string& op_type) {
  for (const auto& n : model.impl().graph->nodes)
    if (n.op_type == op_type) return n;
  throw Error("no " + op_type + " node left in " + model.name());
}

// Deterministic values in [-1, 1), different per seed.
inline nn::Tensor patterned(nn::Shape shape, int seed) {
  nn::Tensor t = nn::Tensor::empty(nn::DType::f32, std::move(shape));
  for (int64_t i = 0; i < t.numel(); ++i)
    t.data<float>()[i] = static_cast<float>((i * 37 + seed * 11) % 101) / 50.5f - 1.f;
  return t;
}

inline std::vector<float> values(const nn::Tensor& t) { return {t.data<float>(), t.data<float>() + t.numel()}; }

inline nn::Tensor run_single_output(const std::shared_ptr<const nn::Model>& model, const nn::NamedTensors& inputs) {
  return nn::Session(model).run(inputs).at(model->outputs()[0].name);
}

inline bool bit_identical(const nn::Tensor& a, const nn::Tensor& b) {
  return a.shape() == b.shape() && std::memcmp(a.raw(), b.raw(), a.bytes()) == 0;
}

// Largest |a - b| / (1 + |b|).
inline double max_relative_error(const nn::Tensor& a, const nn::Tensor& b) {
  double worst = 0.0;
  for (int64_t i = 0; i < a.numel(); ++i) {
    const double x = a.data<float>()[i], y = b.data<float>()[i];
    worst = std::max(worst, std::abs(x - y) / (1.0 + std::abs(y)));
  }
  return worst;
}

}  // namespace neuropipe::test
