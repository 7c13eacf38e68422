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
