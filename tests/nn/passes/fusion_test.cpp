#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>

#include "conv_fixture.hpp"

using namespace neuropipe;
using namespace neuropipe::nn;
using namespace neuropipe::test;
using test::ModelBuilder;

TEST_CASE("Conv -> BatchNormalization -> Relu becomes one Conv with the same outputs", "[nn][passes][fusion]") {
  ModelBuilder m = conv_model();
  m.initializer("scale", {4}, {1.5f, 0.5f, -2.f, 1.f});
  m.initializer("shift", {4}, {0.2f, -0.1f, 0.f, 0.3f});
  m.initializer("mean", {4}, {0.05f, -0.3f, 0.2f, 0.f});
  m.initializer("var", {4}, {0.9f, 2.f, 0.25f, 1.f});
  add_float_attribute(m.node("BatchNormalization", {"conv", "scale", "shift", "mean", "var"}, {"bn"}, "bn"),
                      "epsilon", 1e-3f);
  m.node("Relu", {"bn"}, {"y"}, "relu");
  m.output("y", kFloat, {1, 4, 8, 8});

  auto plain = m.load(unoptimized());
  auto fused = m.load();
  CHECK(test::op_types(*plain) == std::vector<std::string>{"Conv", "BatchNormalization", "Relu"});
  REQUIRE(test::op_types(*fused) == std::vector<std::string>{"Conv"});
  const Node& conv = test::only_node(*fused, "Conv");
  CHECK(conv.attributes.get_string("_fused_activation", "") == "Relu");
  CHECK(fused->impl().graph->values[conv.inputs[1]].name != "W");  // folded copy: W itself is untouched
  const Tensor expected = test::run_single_output(plain, conv_input());
  const Tensor got = test::run_single_output(fused, conv_input());
  REQUIRE(got.shape() == expected.shape());
  CHECK(test::max_relative_error(got, expected) < 1e-5);
}

TEST_CASE("Conv -> Clip fuses with constant bounds only", "[nn][passes][fusion]") {
  SECTION("constant bounds (opset 13 inputs): fused, bit-identical") {
    ModelBuilder m = conv_model();
    m.initializer("lo", {}, {0.f});
    m.initializer("hi", {}, {0.25f});
    m.node("Clip", {"conv", "lo", "hi"}, {"y"}, "clip");
    m.output("y", kFloat, {1, 4, 8, 8});
    auto fused = m.load();
    REQUIRE(test::op_types(*fused) == std::vector<std::string>{"Conv"});
    const Node& conv = test::only_node(*fused, "Conv");
    CHECK(conv.attributes.get_string("_fused_activation", "") == "Clip");
    CHECK(conv.attributes.get_float("_fused_alpha", -1.f) == 0.f);
    CHECK(conv.attributes.get_float("_fused_beta", -1.f) == 0.25f);
    CHECK(test::bit_identical(test::run_single_output(fused, conv_input()),
                              test::run_single_output(m.load(unoptimized()), conv_input())));
  }
  SECTION("attribute bounds (opset 6): fused") {
    ModelBuilder m = conv_model(9);
    auto& clip = m.node("Clip", {"conv"}, {"y"}, "clip");
    add_float_attribute(clip, "min", -0.1f);
    add_float_attribute(clip, "max", 0.1f);
    m.output("y", kFloat, {1, 4, 8, 8});
    auto fused = m.load();
    REQUIRE(test::op_types(*fused) == std::vector<std::string>{"Conv"});
    CHECK(test::bit_identical(test::run_single_output(fused, conv_input()),
                              test::run_single_output(m.load(unoptimized()), conv_input())));
  }
  SECTION("a bound given at run time: not fused") {
    ModelBuilder m = conv_model();
    m.input("hi", kFloat, {});
    m.node("Clip", {"conv", "", "hi"}, {"y"}, "clip");
    m.output("y", kFloat, {1, 4, 8, 8});
    CHECK(test::op_types(*m.load()) == std::vector<std::string>{"Conv", "Clip"});
  }
}

TEST_CASE("a Conv output with another reader is neither folded nor fused", "[nn][passes][fusion]") {
  ModelBuilder m = conv_model();
  m.initializer("scale", {4}, {1.f, 1.f, 1.f, 1.f});
  m.initializer("shift", {4}, {0.f, 0.f, 0.f, 0.f});
  m.initializer("mean", {4}, {0.f, 0.f, 0.f, 0.f});
  m.initializer("var", {4}, {1.f, 1.f, 1.f, 1.f});
  m.node("BatchNormalization", {"conv", "scale", "shift", "mean", "var"}, {"bn"}, "bn");
  m.node("Relu", {"conv"}, {"r"}, "relu");
  m.node("Add", {"bn", "r"}, {"y"}, "add");
  m.output("y", kFloat, {1, 4, 8, 8});
  m.output("conv", kFloat, {1, 4, 8, 8});  // the raw Conv output is also part of the API
  auto model = m.load();
  CHECK(test::op_types(*model) == std::vector<std::string>{"Conv", "BatchNormalization", "Relu", "Add"});
  CHECK_FALSE(test::only_node(*model, "Conv").attributes.has("_fused_activation"));
}

TEST_CASE("Gemm -> LeakyRelu fuses and keeps the slope", "[nn][passes][fusion]") {
  ModelBuilder m;
  m.input("x", kFloat, {2, 5});
  m.initializer("W", {5, 3}, ramp(15, 0.1f, -0.6f));
  m.initializer("C", {3}, {0.5f, -0.5f, 0.f});
  m.node("Gemm", {"x", "W", "C"}, {"g"}, "gemm");
  add_float_attribute(m.node("LeakyRelu", {"g"}, {"y"}, "leaky"), "alpha", 0.2f);
  m.output("y", kFloat, {2, 3});
  auto fused = m.load();
  REQUIRE(test::op_types(*fused) == std::vector<std::string>{"Gemm"});
  const Node& gemm = test::only_node(*fused, "Gemm");
  CHECK(gemm.attributes.get_string("_fused_activation", "") == "LeakyRelu");
  CHECK(gemm.attributes.get_float("_fused_alpha", 0.f) == 0.2f);
  const NamedTensors in = {{"x", test::patterned({2, 5}, 1)}};
  CHECK(test::bit_identical(test::run_single_output(fused, in), test::run_single_output(m.load(unoptimized()), in)));
}

TEST_CASE("InstanceNormalization -> Relu fuses into one node with the same outputs", "[nn][passes][fusion]") {
  ModelBuilder m;
  m.input("x", kFloat, {1, 3, 5, 7});
  m.initializer("scale", {3}, {1.5f, -0.5f, 0.8f});
  m.initializer("B", {3}, {0.1f, 0.2f, -0.3f});
  m.node("InstanceNormalization", {"x", "scale", "B"}, {"n"}, "norm");
  m.node("Relu", {"n"}, {"y"}, "relu");
  m.output("y", kFloat, {1, 3, 5, 7});
  auto fused = m.load();
  REQUIRE(test::op_types(*fused) == std::vector<std::string>{"InstanceNormalization"});
  CHECK(test::only_node(*fused, "InstanceNormalization").attributes.get_string("_fused_activation", "") == "Relu");
  NamedTensors in = {{"x", test::patterned({1, 3, 5, 7}, 3)}};
  in.at("x").data<float>()[40] = std::nanf("");  // plane 1 is all NaN: the Relu op maps NaN to 0
  const auto y = test::run_single_output(fused, in);
  CHECK(test::bit_identical(y, test::run_single_output(m.load(unoptimized()), in)));
  CHECK(*std::min_element(y.data<float>(), y.data<float>() + y.numel()) == 0.f);  // the Relu did clamp
}

TEST_CASE("Conv -> x * HardSigmoid(x) (HardSwish before opset 14) fuses, bit-identical", "[nn][passes][fusion]") {
  for (const bool x_first : {true, false}) {  // Mul(x, hs) and Mul(hs, x)
    INFO("Mul reads x first: " << x_first);
    ModelBuilder m = conv_model(11);
    add_float_attribute(m.node("HardSigmoid", {"conv"}, {"hs"}, "hs"), "alpha", 1.f / 6.f);
    m.node("Mul", x_first ? std::vector<std::string>{"conv", "hs"} : std::vector<std::string>{"hs", "conv"}, {"y"},
           "mul");
    m.output("y", kFloat, {1, 4, 8, 8});
    auto fused = m.load();
    REQUIRE(test::op_types(*fused) == std::vector<std::string>{"Conv"});
    const Node& conv = test::only_node(*fused, "Conv");
    CHECK(conv.attributes.get_string("_fused_activation", "") == "MulHardSigmoid");
    CHECK(conv.attributes.get_float("_fused_alpha", 0.f) == 1.f / 6.f);
    const Tensor expected = test::run_single_output(m.load(unoptimized()), conv_input());
    CHECK(test::bit_identical(test::run_single_output(fused, conv_input()), expected));
  }
}

TEST_CASE("HardSigmoid times another value is not a HardSwish and stays", "[nn][passes][fusion]") {
  ModelBuilder m = conv_model(11);
  m.input("gate", kFloat, {1, 4, 8, 8});
  m.node("HardSigmoid", {"conv"}, {"hs"}, "hs");
  m.node("Mul", {"gate", "hs"}, {"y"}, "mul");  // an SE-style gate: x is not the other factor
  m.output("y", kFloat, {1, 4, 8, 8});
  auto model = m.load();
  CHECK(test::op_types(*model) == std::vector<std::string>{"Conv", "Mul"});  // HardSigmoid alone fuses
  CHECK(test::only_node(*model, "Conv").attributes.get_string("_fused_activation", "") == "HardSigmoid");
}

TEST_CASE("ConvTranspose -> BatchNormalization -> Relu folds per output channel, groups included", "[nn][passes][fusion]") {
  // W is [C_in, C_out/group, kh, kw]: output channel g * 3 + j of group g takes the scale of that channel.
  ModelBuilder m(13);
  m.input("x", kFloat, {1, 4, 5, 5});
  m.initializer("W", {4, 3, 3, 3}, ramp(108, 0.05f, -0.3f));
  m.initializer("B", {6}, {0.1f, -0.2f, 0.3f, -0.4f, 0.05f, 0.f});
  auto& deconv = m.node("ConvTranspose", {"x", "W", "B"}, {"deconv"}, "deconv");
  for (const auto& [name, value] : {std::pair<std::string, int64_t>{"group", 2}, {"strides", 2}}) {
    auto* a = deconv.add_attribute();
    a->set_name(name);
    if (name == "group") {
      a->set_type(onnx::AttributeProto::INT);
      a->set_i(value);
    } else {
      a->set_type(onnx::AttributeProto::INTS);
      a->add_ints(value);
      a->add_ints(value);
    }
  }
  m.initializer("scale", {6}, {1.5f, 0.5f, -2.f, 1.f, 3.f, -0.25f});
  m.initializer("shift", {6}, {0.2f, -0.1f, 0.f, 0.3f, -0.5f, 0.1f});
  m.initializer("mean", {6}, {0.05f, -0.3f, 0.2f, 0.f, 0.1f, -0.1f});
  m.initializer("var", {6}, {0.9f, 2.f, 0.25f, 1.f, 4.f, 0.5f});
  m.node("BatchNormalization", {"deconv", "scale", "shift", "mean", "var"}, {"bn"}, "bn");
  m.node("Relu", {"bn"}, {"y"}, "relu");
  m.output("y", kFloat, {1, 6, 11, 11});

  auto fused = m.load();
  REQUIRE(test::op_types(*fused) == std::vector<std::string>{"ConvTranspose"});
  CHECK(test::only_node(*fused, "ConvTranspose").attributes.get_string("_fused_activation", "") == "Relu");
  const NamedTensors in{{"x", test::patterned({1, 4, 5, 5}, 5)}};
  const Tensor expected = test::run_single_output(m.load(unoptimized()), in);
  const Tensor got = test::run_single_output(fused, in);
  REQUIRE(got.shape() == expected.shape());
  CHECK(test::max_relative_error(got, expected) < 1e-5);
}
