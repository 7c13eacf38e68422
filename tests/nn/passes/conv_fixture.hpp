#pragma once
// The small Conv model the fusion tests grow: x [1,3,8,8] -> Conv 3x3, pad 1,
// 4 channels with bias -> value "conv"; each test appends what follows it.
#include <string>
#include <vector>

#include "model_builder.hpp"
#include "pass_test_support.hpp"

namespace neuropipe::test {

inline constexpr int kFloat = onnx::TensorProto::FLOAT;

inline nn::LoadOptions unoptimized() {
  nn::LoadOptions o;
  o.optimize = false;
  return o;
}

inline std::vector<float> ramp(size_t n, float scale, float offset) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = offset + scale * static_cast<float>((i * 7) % 13);
  return v;
}

inline void add_float_attribute(onnx::NodeProto& n, const std::string& name, float v) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::FLOAT);
  a->set_f(v);
}

inline ModelBuilder conv_model(int opset = 13) {
  ModelBuilder m(opset);
  m.input("x", kFloat, {1, 3, 8, 8});
  m.initializer("W", {4, 3, 3, 3}, ramp(108, 0.05f, -0.3f));
  m.initializer("B", {4}, {0.1f, -0.2f, 0.3f, -0.4f});
  auto& conv = m.node("Conv", {"x", "W", "B"}, {"conv"}, "conv");
  auto* pads = conv.add_attribute();
  pads->set_name("pads");
  pads->set_type(onnx::AttributeProto::INTS);
  for (int i = 0; i < 4; ++i) pads->add_ints(1);
  return m;
}

inline nn::NamedTensors conv_input() { return {{"x", patterned({1, 3, 8, 8}, 3)}}; }

}  // namespace neuropipe::test
