#include <catch2/catch.hpp>

#include "model_builder.hpp"
#include "neuropipe/nn/model.hpp"
#include "nn/runtime/model_impl.hpp"

using namespace neuropipe;
using namespace neuropipe::nn;
using test::ModelBuilder;

namespace {

constexpr int kFloat = onnx::TensorProto::FLOAT;
const std::vector<float> kW = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};  // [5, 3]

ModelBuilder gemm_model() {
  ModelBuilder m;
  m.input("x", kFloat, {2, 5});
  m.initializer("W", {5, 3}, kW);
  m.initializer("C", {3}, {0.5f, -1.f, 2.f});
  m.node("Gemm", {"x", "W", "C"}, {"y"}, "gemm");
  m.output("y", kFloat, {2, 3});
  return m;
}

bool holds_constant(const Model& model, const std::string& value) {
  const Graph& g = *model.impl().graph;
  return g.values[g.find(value)].constant.has_value();
}

Tensor x_input() { return Tensor::from_vector<float>({1, 0, -1, 2, 0.5f, 0, 1, 1, 0, -2}, {2, 5}); }

}  // namespace

TEST_CASE("the planner frees raw weights a kernel has packed", "[nn][planner][memory]") {
  auto model = gemm_model().load();
  CHECK_FALSE(holds_constant(*model, "W"));  // only the Gemm's packed panels remain
  CHECK(holds_constant(*model, "C"));        // the bias is read at run time
  const Tensor y = Session(model).run({{"x", x_input()}}).at("y");
  const Tensor x = x_input();
  const std::vector<float> c = {0.5f, -1.f, 2.f};
  for (int64_t i = 0; i < 2; ++i)
    for (int64_t j = 0; j < 3; ++j) {
      float expected = c[static_cast<size_t>(j)];
      for (int64_t k = 0; k < 5; ++k) expected += x.data<float>()[i * 5 + k] * kW[static_cast<size_t>(k * 3 + j)];
      CHECK(y.data<float>()[i * 3 + j] == Approx(expected));
    }
}

TEST_CASE("a weight another node reads as a tensor is kept", "[nn][planner][memory]") {
  ModelBuilder m = gemm_model();
  m.input("z", kFloat, {5, 3});
  m.node("Add", {"z", "W"}, {"w_plus_z"}, "add");
  m.output("w_plus_z", kFloat, {5, 3});
  auto model = m.load();
  CHECK(holds_constant(*model, "W"));
  const NamedTensors out = Session(model).run({{"x", x_input()}, {"z", Tensor::zeros(DType::f32, {5, 3})}});
  CHECK(out.at("w_plus_z").data<float>()[14] == 15.f);
}
