#include <catch2/catch.hpp>

#include "conv_fixture.hpp"

using namespace neuropipe;
using namespace neuropipe::nn;
using namespace neuropipe::test;
using test::ModelBuilder;

TEST_CASE("Conv -> Add(skip) -> Relu becomes one Conv with a fused residual", "[nn][passes][fusion]") {
  ModelBuilder m = conv_model();
  m.input("skip", kFloat, {1, 4, 8, 8});
  m.node("Add", {"skip", "conv"}, {"sum"}, "add");
  m.node("Relu", {"sum"}, {"y"}, "relu");
  m.output("y", kFloat, {1, 4, 8, 8});
  auto fused = m.load();
  REQUIRE(test::op_types(*fused) == std::vector<std::string>{"Conv"});
  const Node& conv = test::only_node(*fused, "Conv");
  CHECK(conv.attributes.get_int("_fused_add", 0) == 1);
  CHECK(conv.attributes.get_string("_fused_activation", "") == "Relu");
  REQUIRE(conv.inputs.size() == 4);
  CHECK(fused->impl().graph->values[conv.inputs[3]].name == "skip");
  NamedTensors in = conv_input();
  in["skip"] = test::patterned({1, 4, 8, 8}, 9);
  const Tensor expected = test::run_single_output(m.load(unoptimized()), in);
  CHECK(test::max_relative_error(test::run_single_output(fused, in), expected) < 1e-6);
}

TEST_CASE("Add of two Convs fuses into the later one, whose skip is ready", "[nn][passes][fusion]") {
  ModelBuilder m = conv_model();
  m.initializer("W1", {4, 4, 1, 1}, ramp(16, 0.1f, -0.5f));
  m.node("Conv", {"conv", "W1"}, {"late"}, "late_conv");  // reads the first Conv: it runs after it
  m.node("Add", {"conv", "late"}, {"y"}, "add");
  m.output("y", kFloat, {1, 4, 8, 8});
  auto fused = m.load();
  REQUIRE(test::op_types(*fused) == std::vector<std::string>{"Conv", "Conv"});
  const auto& nodes = fused->impl().graph->nodes;
  CHECK_FALSE(nodes[0].attributes.has("_fused_add"));
  CHECK(nodes[1].attributes.get_int("_fused_add", 0) == 1);
  const Tensor expected = test::run_single_output(m.load(unoptimized()), conv_input());
  CHECK(test::max_relative_error(test::run_single_output(fused, conv_input()), expected) < 1e-6);
}

namespace {

// x [batch,3,8,8] -> Conv -> Add(skip [skip_batch,4,8,8]) -> Relu, both batch dims symbolic.
ModelBuilder symbolic_batch_model(const std::string& batch, const std::string& skip_batch) {
  ModelBuilder m = conv_model();
  m.graph().mutable_input()->Clear();
  m.input("x", kFloat, {-1, 3, 8, 8}, {batch, "", "", ""});
  m.input("skip", kFloat, {-1, 4, 8, 8}, {skip_batch, "", "", ""});
  m.node("Add", {"conv", "skip"}, {"sum"}, "add");
  m.node("Relu", {"sum"}, {"y"}, "relu");
  m.output("y", kFloat, {-1, 4, 8, 8});
  return m;
}

NamedTensors symbolic_batch_input(int64_t batch, int64_t skip_batch) {
  return {{"x", test::patterned({batch, 3, 8, 8}, 3)}, {"skip", test::patterned({skip_batch, 4, 8, 8}, 9)}};
}

}  // namespace

TEST_CASE("A residual Add fuses when both operands share the symbolic batch dim", "[nn][passes][fusion]") {
  // An exported model's batch is dim_param "batch": the shapes are equal on every run though not fixed.
  ModelBuilder m = symbolic_batch_model("batch", "batch");
  auto fused = m.load();
  REQUIRE(test::op_types(*fused) == std::vector<std::string>{"Conv"});
  CHECK(test::only_node(*fused, "Conv").attributes.get_int("_fused_add", 0) == 1);
  const NamedTensors in = symbolic_batch_input(2, 2);
  const Tensor expected = test::run_single_output(m.load(unoptimized()), in);
  CHECK(test::max_relative_error(test::run_single_output(fused, in), expected) < 1e-6);
}

TEST_CASE("A residual Add whose batch dims only look alike stays an Add (it may broadcast)", "[nn][passes][fusion]") {
  for (const std::string& skip_batch : {std::string("other"), std::string("")}) {  // another name, or none
    INFO("skip batch dim name: '" << skip_batch << "'");
    ModelBuilder m = symbolic_batch_model("batch", skip_batch);
    auto model = m.load();
    CHECK(test::op_types(*model) == std::vector<std::string>{"Conv", "Add", "Relu"});
    const NamedTensors in = symbolic_batch_input(2, 1);  // skip broadcasts over the batch
    const Tensor expected = test::run_single_output(m.load(unoptimized()), in);
    const Tensor got = test::run_single_output(model, in);
    CHECK(got.shape() == Shape{2, 4, 8, 8});
    CHECK(test::max_relative_error(got, expected) < 1e-6);
  }
}
