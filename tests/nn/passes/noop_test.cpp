#include <catch2/catch.hpp>

#include "model_builder.hpp"
#include "pass_test_support.hpp"

using namespace neuropipe;
using namespace neuropipe::nn;
using test::ModelBuilder;

namespace {

constexpr int kFloat = onnx::TensorProto::FLOAT;

void add_ints_attribute(onnx::NodeProto& n, const std::string& name, const std::vector<int64_t>& v) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t x : v) a->add_ints(x);
}

void add_int_attribute(onnx::NodeProto& n, const std::string& name, int64_t v) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(v);
}

void int64_initializer(ModelBuilder& m, const std::string& name, const std::vector<int64_t>& values) {
  auto* t = m.graph().add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::INT64);
  t->add_dims(static_cast<int64_t>(values.size()));
  for (int64_t v : values) t->add_int64_data(v);
}

}  // namespace

TEST_CASE("no-op Transpose, Mul by 1, Add 0, zero Pad and one-input Concat disappear", "[nn][passes][noop]") {
  ModelBuilder m;
  m.input("x", kFloat, {2, 3});
  m.initializer("one", {}, {1.f});
  m.initializer("zero", {1}, {0.f});
  int64_initializer(m, "no_pads", {0, 0, 0, 0});
  m.node("Relu", {"x"}, {"a"});
  add_ints_attribute(m.node("Transpose", {"a"}, {"b"}), "perm", {0, 1});
  m.node("Mul", {"b", "one"}, {"c"});
  m.node("Add", {"c", "zero"}, {"d"});
  m.node("Pad", {"d", "no_pads"}, {"e"});
  add_int_attribute(m.node("Concat", {"e"}, {"f"}), "axis", 1);
  m.node("Neg", {"f"}, {"y"});
  m.output("y", kFloat, {2, 3});

  nn::LoadOptions plain_options;
  plain_options.optimize = false;
  auto plain = m.load(plain_options);
  auto optimized = m.load();
  CHECK(test::op_types(*plain).size() == 7);
  CHECK(test::op_types(*optimized) == std::vector<std::string>{"Relu", "Neg"});
  const NamedTensors in = {{"x", test::patterned({2, 3}, 2)}};
  CHECK(test::bit_identical(test::run_single_output(optimized, in), test::run_single_output(plain, in)));
}

TEST_CASE("ops that change values or shapes stay", "[nn][passes][noop]") {
  ModelBuilder m;
  m.input("x", kFloat, {2, 3});
  m.initializer("two", {}, {2.f});
  m.initializer("one_3d", {1, 1, 1}, {1.f});  // broadcasting adds a dimension: not a no-op
  add_ints_attribute(m.node("Transpose", {"x"}, {"t"}), "perm", {1, 0});
  m.node("Mul", {"t", "two"}, {"u"});
  m.node("Mul", {"u", "one_3d"}, {"y"});
  m.output("y", kFloat, {1, 3, 2});
  auto model = m.load();
  CHECK(test::op_types(*model) == std::vector<std::string>{"Transpose", "Mul", "Mul"});
}
