#include <catch2/catch.hpp>

#include <fstream>

#include "model_builder.hpp"
#include "neuropipe/nn/model.hpp"
#include "test_support.hpp"

using namespace neuropipe;
using namespace neuropipe::nn;
using neuropipe::test::ModelBuilder;

namespace {
Tensor run_single(const std::shared_ptr<const Model>& model, const NamedTensors& inputs, const std::string& out) {
  Session s(model);
  return s.run(inputs).at(out);
}
const Tensor kX = Tensor::from_vector<float>({10, 20, 30, 40, 50, 60}, {2, 3});
}  // namespace

TEST_CASE("raw_data and typed float_data initializers decode to the same values", "[nn][import]") {
  for (bool raw : {true, false}) {
    Tensor y = run_single(test::add_model(raw).load(), {{"x", kX}}, "y");
    CHECK(std::vector<float>(y.span<float>().begin(), y.span<float>().end()) ==
          std::vector<float>{11, 22, 33, 44, 55, 66});
  }
}

TEST_CASE("external data is read relative to the model's folder, a missing file names it", "[nn][import]") {
  test::TempDir dir("np-extdata");
  ModelBuilder m = test::add_model();
  auto* w = m.graph().mutable_initializer(0);
  w->clear_raw_data();
  w->set_data_location(onnx::TensorProto::EXTERNAL);
  auto add_kv = [&](const char* k, const std::string& v) {
    auto* kv = w->add_external_data();
    kv->set_key(k);
    kv->set_value(v);
  };
  add_kv("location", "weights.bin");
  add_kv("offset", "8");
  add_kv("length", "24");
  {
    std::ofstream model(dir / "model.onnx", std::ios::binary);
    model << m.bytes();
  }
  SECTION("present") {
    std::vector<float> values = {0, 0, 1, 2, 3, 4, 5, 6};  // 8 bytes of padding, then the tensor
    std::ofstream(dir / "weights.bin", std::ios::binary)
        .write(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float));
    Tensor y = run_single(Model::load(dir / "model.onnx"), {{"x", kX}}, "y");
    CHECK(y.data<float>()[5] == 66.f);
  }
  SECTION("missing file") {
    REQUIRE_THROWS_WITH(Model::load(dir / "model.onnx"), Catch::Contains("weights.bin") && Catch::Contains("'w'"));
  }
  SECTION("file too short") {
    std::ofstream(dir / "weights.bin", std::ios::binary) << "abc";
    REQUIRE_THROWS_WITH(Model::load(dir / "model.onnx"), Catch::Contains("too short"));
  }
}

TEST_CASE("symbolic input dims are reported and accept any size, consistently", "[nn][import]") {
  ModelBuilder m;
  m.input("a", onnx::TensorProto::FLOAT, {-1, 3}, {"N", ""});
  m.input("b", onnx::TensorProto::FLOAT, {-1, 3}, {"N", ""});
  m.node("Mul", {"a", "b"}, {"y"});
  m.output("y", onnx::TensorProto::FLOAT, {-1, 3});
  auto model = m.load();
  REQUIRE(model->inputs().size() == 2);
  CHECK(model->inputs()[0].shape == Shape{-1, 3});
  CHECK(model->inputs()[0].dim_names[0] == "N");
  Session s(model);
  for (int64_t n : {1, 4}) {
    Tensor a = Tensor::zeros(DType::f32, {n, 3});
    CHECK(s.run({{"a", a}, {"b", a}}).at("y").shape() == Shape{n, 3});
  }
  CHECK_THROWS_WITH(s.run({{"a", Tensor::zeros(DType::f32, {2, 3})}, {"b", Tensor::zeros(DType::f32, {3, 3})}}),
                    Catch::Contains("'b'") && Catch::Contains("'N'"));
}

TEST_CASE("an initializer that is also a graph input is an overridable default", "[nn][import]") {
  ModelBuilder m = test::add_model();
  m.input("w", onnx::TensorProto::FLOAT, {2, 3});
  auto model = m.load();
  REQUIRE(model->inputs().size() == 2);
  Session s(model);
  CHECK(s.run({{"x", kX}}).at("y").data<float>()[0] == 11.f);
  Tensor w = Tensor::from_vector<float>({100, 0, 0, 0, 0, 0}, {2, 3});
  CHECK(s.run({{"x", kX}, {"w", w}}).at("y").data<float>()[0] == 110.f);
}

TEST_CASE("Constant nodes in every value_* form become constants and fold away", "[nn][import]") {
  ModelBuilder m;
  m.input("x", onnx::TensorProto::FLOAT, {3});
  auto& c = m.node("Constant", {}, {"c"});
  auto* a = c.add_attribute();
  a->set_name("value_floats");
  a->set_type(onnx::AttributeProto::FLOATS);
  for (float v : {1.f, 2.f, 3.f}) a->add_floats(v);
  auto& s = m.node("Constant", {}, {"s"});
  auto* b = s.add_attribute();
  b->set_name("value_float");
  b->set_type(onnx::AttributeProto::FLOAT);
  b->set_f(2.f);
  m.node("Mul", {"c", "s"}, {"cs"});  // constant * constant: folded at load
  m.node("Add", {"x", "cs"}, {"y"});
  m.output("y", onnx::TensorProto::FLOAT, {3});
  auto model = m.load();
  CHECK(model->node_count() == 1);
  Tensor y = run_single(model, {{"x", Tensor::from_vector<float>({1, 1, 1}, {3})}}, "y");
  CHECK(y.data<float>()[2] == 7.f);
}

TEST_CASE("Identity is removed and Shape of a static shape folds", "[nn][import][passes]") {
  ModelBuilder m;
  m.input("x", onnx::TensorProto::FLOAT, {2, 3});
  m.node("Identity", {"x"}, {"i"});
  m.node("Shape", {"i"}, {"shape"});
  m.node("Reshape", {"i", "shape"}, {"y"});
  m.output("y", onnx::TensorProto::FLOAT, {2, 3});
  auto model = m.load();
  CHECK(model->node_count() == 1);  // only the Reshape is left
  CHECK(run_single(model, {{"x", kX}}, "y").data<float>()[4] == 50.f);
}

TEST_CASE("If runs a branch that reads outer values by name", "[nn][import][control_flow]") {
  ModelBuilder m;
  m.input("cond", onnx::TensorProto::BOOL, {});
  m.input("x", onnx::TensorProto::FLOAT, {3});
  m.initializer("one", {1}, {1.f});
  auto branch = [&](const char* name, const char* op) {
    onnx::GraphProto g;
    g.set_name(name);
    auto* n = g.add_node();
    n->set_op_type(op);
    n->add_input("x");  // outer graph input
    n->add_input("one");  // outer initializer
    n->add_output(std::string(name) + "_out");
    g.add_output()->set_name(std::string(name) + "_out");
    return g;
  };
  auto& node = m.node("If", {"cond"}, {"y"}, "if");
  for (auto [attr, op] : {std::pair{"then_branch", "Add"}, std::pair{"else_branch", "Sub"}}) {
    auto* a = node.add_attribute();
    a->set_name(attr);
    a->set_type(onnx::AttributeProto::GRAPH);
    *a->mutable_g() = branch(attr, op);
  }
  m.output("y", onnx::TensorProto::FLOAT, {3});
  auto model = m.load();
  Session s(model);
  Tensor x = Tensor::from_vector<float>({1, 2, 3}, {3});
  Tensor yes = Tensor::from_vector<bool>({true}, {});
  Tensor no = Tensor::from_vector<bool>({false}, {});
  CHECK(s.run({{"cond", yes}, {"x", x}}).at("y").data<float>()[2] == 4.f);
  CHECK(s.run({{"cond", no}, {"x", x}}).at("y").data<float>()[2] == 2.f);
}

TEST_CASE("fp16 model accepts f32 or f16 input and returns its declared f16 output", "[nn][import][fp16]") {
  auto fp16 = Model::load(test::shared_file("models/classify/squeezenet1.0-fp16.onnx"));
  auto fp32 = Model::load(test::shared_file("models/classify/squeezenet1.0-fp32.onnx"));
  REQUIRE(fp16->inputs().size() == 1);
  CHECK(fp16->inputs()[0].dtype == DType::f16);
  Tensor x = Tensor::empty(DType::f32, {1, 3, 224, 224});
  for (int64_t i = 0; i < x.numel(); ++i) x.data<float>()[i] = static_cast<float>((i * 7919) % 255) - 120.f;
  Session s16(fp16), s32(fp32);
  const std::string in = fp16->inputs()[0].name, out = fp16->outputs()[0].name;
  Tensor y16_from_f32 = s16.run({{in, x}}).at(out);
  Tensor y16_from_f16 = s16.run({{in, x.to(DType::f16)}}).at(out);
  Tensor y32 = s32.run({{fp32->inputs()[0].name, x}}).at(fp32->outputs()[0].name);
  REQUIRE(y16_from_f32.dtype() == DType::f16);
  auto argmax = [](const Tensor& t) {
    Tensor f = t.to(DType::f32);
    return std::max_element(f.span<float>().begin(), f.span<float>().end()) - f.span<float>().begin();
  };
  CHECK(argmax(y16_from_f32) == argmax(y32));
  CHECK(argmax(y16_from_f16) == argmax(y32));
  Tensor a = y16_from_f32.to(DType::f32), b = y32;
  for (int64_t i = 0; i < a.numel(); ++i) REQUIRE(a.data<float>()[i] == Approx(b.data<float>()[i]).margin(2e-2));
}
