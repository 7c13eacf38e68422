#include <catch2/catch.hpp>

#include <algorithm>

#include "pass_test_support.hpp"
#include "test_support.hpp"

using namespace neuropipe;
using namespace neuropipe::nn;

namespace {

std::shared_ptr<const Model> load(const std::string& relative, bool optimize) {
  LoadOptions options;
  options.optimize = optimize;
  return Model::load(test::shared_file(relative), options);
}

long count_op(const Model& m, const std::string& op) {
  const auto ops = test::op_types(m);
  return std::count(ops.begin(), ops.end(), op);
}

}  // namespace

TEST_CASE("SqueezeNet: every Relu fuses into its Conv, outputs bit-identical", "[nn][passes][fusion][model]") {
  auto plain = load("models/classify/squeezenet1.0-fp32.onnx", false);
  auto fused = load("models/classify/squeezenet1.0-fp32.onnx", true);
  CHECK(count_op(*plain, "Relu") == 26);
  CHECK(count_op(*fused, "Relu") == 0);
  CHECK(count_op(*fused, "Conv") == 26);
  const NamedTensors in = {{plain->inputs()[0].name, test::patterned({1, 3, 224, 224}, 5)}};
  CHECK(test::bit_identical(test::run_single_output(fused, in), test::run_single_output(plain, in)));
}

TEST_CASE("UltraFace: BatchNormalization over overridable initializers is not folded", "[nn][passes][fusion][model]") {
  // IR 4 file listing every weight as a graph input too: the caller may replace them per run,
  // so folding them into the Conv at load would silently ignore such an override.
  auto plain = load("models/face/ultraface-rfb-320.onnx", false);
  auto optimized = load("models/face/ultraface-rfb-320.onnx", true);
  CHECK(count_op(*plain, "BatchNormalization") == 35);
  CHECK(count_op(*optimized, "BatchNormalization") == 35);
  const NamedTensors in = {{plain->inputs()[0].name, test::patterned({1, 3, 240, 320}, 6)}};
  Session a(plain), b(optimized);
  const NamedTensors expected = a.run(in), got = b.run(in);
  for (const auto& [name, tensor] : expected) {
    INFO(name);
    CHECK(test::bit_identical(got.at(name), tensor));
  }
}
