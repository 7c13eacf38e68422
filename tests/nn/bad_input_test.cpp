#include <catch2/catch.hpp>

#include <fstream>
#include <random>

#include "model_builder.hpp"
#include "nn/onnx/onnx_shape_inference.hpp"
#include "neuropipe/nn/model.hpp"
#include "test_support.hpp"

using namespace neuropipe;
using namespace neuropipe::nn;
using neuropipe::test::ModelBuilder;

namespace {
std::string read_bytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
std::shared_ptr<const Model> load_bytes(const std::string& b, const LoadOptions& o = {}) {
  return Model::load_from_memory({reinterpret_cast<const uint8_t*>(b.data()), b.size()}, "mutated", o);
}
// Loading (and, when it loads, running) damaged bytes may only end in neuropipe::Error.
void load_and_run_or_error(const std::string& bytes) {
  try {
    auto model = load_bytes(bytes);
    Session s(model);
    NamedTensors inputs;
    for (const auto& in : model->inputs()) {
      Shape shape = in.shape;
      for (auto& d : shape) d = d < 0 ? 1 : std::min<int64_t>(d, 64);
      inputs[in.name] = Tensor::zeros(in.dtype, shape);
    }
    s.run(inputs);
  } catch (const Error&) {
  }
}
}  // namespace

TEST_CASE("truncated real model files give neuropipe::Error", "[nn][bad_input]") {
  std::string bytes = read_bytes(test::shared_file("models/classify/mnist-cnn.onnx"));
  for (size_t cut : {size_t{0}, size_t{1}, size_t{10}, bytes.size() / 3, bytes.size() / 2, bytes.size() - 1})
    CHECK_THROWS_AS(load_bytes(bytes.substr(0, cut)), Error);
}

TEST_CASE("bit-flipped real model files load, or fail with neuropipe::Error, never crash", "[nn][bad_input]") {
  for (const char* file : {"models/classify/mnist-cnn.onnx", "models/face/yunet-n-320.onnx"}) {
    std::string bytes = read_bytes(test::shared_file(file));
    std::mt19937 rng(1234);
    for (int trial = 0; trial < 40; ++trial) {
      std::string mutated = bytes;
      for (int flips = 0; flips < 4; ++flips)
        mutated[rng() % mutated.size()] ^= static_cast<char>(1u << (rng() % 8));
      INFO(file << " trial " << trial);
      CHECK_NOTHROW(load_and_run_or_error(mutated));
    }
  }
}

TEST_CASE("unknown op and unsupported opsets are UnsupportedOperator / Unsupported naming them", "[nn][bad_input]") {
  ModelBuilder m;
  m.input("x", onnx::TensorProto::FLOAT, {2});
  m.node("NoSuchOp", {"x"}, {"y"}, "mystery");
  m.output("y", onnx::TensorProto::FLOAT, {2});
  REQUIRE_THROWS_AS(m.load(), UnsupportedOperator);
  REQUIRE_THROWS_WITH(m.load(), Catch::Contains("mystery") && Catch::Contains("NoSuchOp") && Catch::Contains("13"));
  ModelBuilder old = test::add_model();
  old.proto.mutable_opset_import(0)->set_version(6);
  REQUIRE_THROWS_WITH(old.load(), Catch::Contains("opset 6"));
  ModelBuilder future = test::add_model();
  future.proto.set_ir_version(11);
  REQUIRE_THROWS_AS(future.load(), Unsupported);
}

TEST_CASE("dangling value names and duplicate producers are load errors naming them", "[nn][bad_input]") {
  ModelBuilder m;
  m.input("x", onnx::TensorProto::FLOAT, {2});
  m.node("Add", {"x", "ghost"}, {"y"}, "adder");
  m.output("y", onnx::TensorProto::FLOAT, {2});
  REQUIRE_THROWS_WITH(m.load(), Catch::Contains("adder") && Catch::Contains("ghost"));
  ModelBuilder twice = test::add_model();
  twice.node("Relu", {"x"}, {"y"}, "second");
  REQUIRE_THROWS_WITH(twice.load(), Catch::Contains("second") && Catch::Contains("'y'"));
  ModelBuilder no_out = test::add_model();
  no_out.graph().mutable_output(0)->set_name("nowhere");
  REQUIRE_THROWS_WITH(no_out.load(), Catch::Contains("nowhere"));
}

TEST_CASE("allocation bombs and wrong raw_data sizes are refused before reading", "[nn][bad_input]") {
  ModelBuilder bomb = test::add_model();
  auto* w = bomb.graph().mutable_initializer(0);
  w->clear_dims();
  for (int i = 0; i < 3; ++i) w->add_dims(1000000);
  REQUIRE_THROWS_WITH(bomb.load(), Catch::Contains("'w'") && Catch::Contains("max_tensor_bytes"));
  ModelBuilder overflow = test::add_model();
  overflow.graph().mutable_initializer(0)->clear_dims();
  for (int i = 0; i < 4; ++i) overflow.graph().mutable_initializer(0)->add_dims(int64_t{1} << 40);
  REQUIRE_THROWS_WITH(overflow.load(), Catch::Contains("overflow"));
  ModelBuilder short_raw = test::add_model();
  short_raw.graph().mutable_initializer(0)->mutable_raw_data()->resize(8);
  REQUIRE_THROWS_WITH(short_raw.load(), Catch::Contains("raw_data") && Catch::Contains("'w'"));
  LoadOptions tight;
  tight.max_tensor_bytes = 16;
  REQUIRE_THROWS_WITH(test::add_model().load(tight), Catch::Contains("max_tensor_bytes"));
}

TEST_CASE("wrong input name, shape or dtype at run names the input, expected and actual", "[nn][bad_input]") {
  Session s(test::add_model().load());
  Tensor good = Tensor::zeros(DType::f32, {2, 3});
  CHECK_THROWS_WITH(s.run({{"x", good}, {"z", good}}), Catch::Contains("unknown input 'z'") && Catch::Contains("x"));
  CHECK_THROWS_WITH(s.run({}), Catch::Contains("missing input 'x'"));
  CHECK_THROWS_WITH(s.run({{"x", Tensor::zeros(DType::f32, {3, 2})}}),
                    Catch::Contains("'x'") && Catch::Contains("[3,2]") && Catch::Contains("[2,3]"));
  CHECK_THROWS_WITH(s.run({{"x", Tensor::zeros(DType::i64, {2, 3})}}),
                    Catch::Contains("'x'") && Catch::Contains("int64") && Catch::Contains("float32"));
  CHECK_THROWS_WITH(s.run({{"x", good}}, std::vector<std::string>{"nope"}), Catch::Contains("nope"));
  CHECK(s.run({{"x", good}}).size() == 1);  // the session still works after errors
}

// Found by tests/fuzz: libonnx 1.12's Conv/pool shape inference reads the
// input's dims by the weight's rank (or the attributes' lengths) unchecked,
// a wild read that crashes or not depending on what lies beyond.
TEST_CASE("Conv/pool nodes whose ranks or spatial attributes disagree skip ONNX inference and fail cleanly",
          "[nn][bad_input]") {
  auto conv = [](const std::vector<int64_t>& x_dims, const std::vector<int64_t>& pads) {
    ModelBuilder m(11);
    m.input("x", onnx::TensorProto::FLOAT, x_dims);
    m.initializer("W", {1, 1, 3, 3}, std::vector<float>(9, 1.f));
    auto& n = m.node("Conv", {"x", "W"}, {"y"}, "conv");
    auto* a = n.add_attribute();
    a->set_name("pads");
    a->set_type(onnx::AttributeProto::INTS);
    for (int64_t p : pads) a->add_ints(p);
    m.output("y", onnx::TensorProto::FLOAT, {});
    return m;
  };
  CHECK(nn::onnx_import::safe_for_shape_inference(conv({1, 1, 5, 5}, {1, 1, 1, 1}).graph(), 11));
  // rank-3 input with a rank-4 weight (the fuzzer's crash), then a pads list too long for 2-D
  for (const ModelBuilder& bad : {conv({1, 1, 5}, {1, 1, 1, 5}), conv({1, 1, 5, 5}, {1, 1, 1, 1, 1, 1})}) {
    CHECK_FALSE(nn::onnx_import::safe_for_shape_inference(bad.proto.graph(), 11));
    REQUIRE_THROWS_AS(
        [&] {
          auto model = bad.load();
          Session(model).run({{"x", Tensor::zeros(DType::f32, model->inputs()[0].shape)}});
        }(),
        Error);
  }
}

// Found by tests/fuzz: a Reshape whose data input was "" reached the kernel,
// which dereferenced the absent input.
TEST_CASE("a missing required input is a load error naming the node and the input", "[nn][bad_input]") {
  ModelBuilder m;
  m.input("x", onnx::TensorProto::FLOAT, {2, 3});
  m.initializer("shape", {2}, {3.f, 2.f});
  m.node("Reshape", {"", "shape"}, {"y"}, "reshape");
  m.output("y", onnx::TensorProto::FLOAT, {3, 2});
  REQUIRE_THROWS_AS(m.load(), Error);
  REQUIRE_THROWS_WITH(m.load(), Catch::Contains("reshape") && Catch::Contains("required input 0") &&
                                    Catch::Contains("'data'"));
  ModelBuilder short_list;
  short_list.input("x", onnx::TensorProto::FLOAT, {2, 3});
  short_list.node("Add", {"x"}, {"y"}, "half_add");
  short_list.output("y", onnx::TensorProto::FLOAT, {2, 3});
  REQUIRE_THROWS_WITH(short_list.load(), Catch::Contains("half_add") && Catch::Contains("required input 1"));
}

// Found by tests/fuzz: a Shape node with two outputs made constant folding
// read a second output the kernel never made.
TEST_CASE("a node with more outputs than its op has is a load error naming it", "[nn][bad_input]") {
  ModelBuilder m;
  m.input("x", onnx::TensorProto::FLOAT, {2, 3});
  m.node("Shape", {"x"}, {"s", "extra"}, "shape_twice");
  m.output("s", onnx::TensorProto::INT64, {2});
  REQUIRE_THROWS_WITH(m.load(), Catch::Contains("shape_twice") && Catch::Contains("2 outputs") &&
                                    Catch::Contains("at most 1"));
}

// Found by tests/fuzz: libonnx 1.12's inference functions dereference
// attributes its checker would have required (a null read), so a node the
// schema rejects keeps ONNX inference away from the whole graph.
TEST_CASE("a node its ONNX schema rejects skips ONNX shape inference", "[nn][bad_input]") {
  ModelBuilder m(11);
  m.input("x", onnx::TensorProto::FLOAT, {2, 3});
  auto& n = m.node("Mean", {"x", "x"}, {"y"}, "mean");
  auto* a = n.add_attribute();  // Mean has no attributes at all
  a->set_name("kernel_shape");
  a->set_type(onnx::AttributeProto::INTS);
  a->add_ints(3);
  m.output("y", onnx::TensorProto::FLOAT, {2, 3});
  CHECK_FALSE(nn::onnx_import::safe_for_shape_inference(m.proto.graph(), 11));
  n.clear_attribute();
  CHECK(nn::onnx_import::safe_for_shape_inference(m.proto.graph(), 11));
}

// Found by tests/fuzz: libonnx 1.12 looks the type of an undefined input up as
// a null pointer, so a dangling name keeps its inference away; the importer
// then names the dangling input itself.
TEST_CASE("a node reading an undefined name skips ONNX shape inference and fails naming it", "[nn][bad_input]") {
  ModelBuilder m(11);
  m.input("x", onnx::TensorProto::FLOAT, {2, 3});
  m.node("Mul", {"x", "ghost"}, {"y"}, "mul");
  m.output("y", onnx::TensorProto::FLOAT, {2, 3});
  CHECK_FALSE(nn::onnx_import::safe_for_shape_inference(m.proto.graph(), 11));
  REQUIRE_THROWS_WITH(m.load(), Catch::Contains("mul") && Catch::Contains("ghost"));
  m.graph().mutable_node(0)->set_input(1, "x");
  CHECK(nn::onnx_import::safe_for_shape_inference(m.proto.graph(), 11));
}

// Found by tests/fuzz: an untyped graph input (allowed in old files) reaches
// libonnx's inference as a null type.
TEST_CASE("an untyped graph input skips ONNX shape inference", "[nn][bad_input]") {
  ModelBuilder m(16);
  m.input("x", onnx::TensorProto::FLOAT, {2, 3});
  m.node("Relu", {"x"}, {"y"}, "relu");
  m.output("y", onnx::TensorProto::FLOAT, {2, 3});
  CHECK(nn::onnx_import::safe_for_shape_inference(m.proto.graph(), 16));
  m.graph().mutable_input(0)->clear_type();
  CHECK_FALSE(nn::onnx_import::safe_for_shape_inference(m.proto.graph(), 16));
}
