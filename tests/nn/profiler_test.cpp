#include <catch2/catch.hpp>

#include <algorithm>

#include "neuropipe/nn/model.hpp"
#include "neuropipe/nn/profiler.hpp"
#include "test_support.hpp"

using namespace neuropipe;
using namespace neuropipe::nn;

namespace {
const Profiler::OpTime* find_op(const Profiler::Snapshot& snap, const std::string& op_type) {
  auto it = std::find_if(snap.ops.begin(), snap.ops.end(), [&](const auto& o) { return o.op_type == op_type; });
  return it == snap.ops.end() ? nullptr : &*it;
}
}  // namespace

TEST_CASE("the profiler times every node of profiled runs only", "[nn][profiler]") {
  auto model = Model::load(test::shared_file("models/classify/squeezenet1.0-fp32.onnx"));
  Session session(model);
  const NamedTensors inputs = {{model->inputs()[0].name, Tensor::zeros(DType::f32, {1, 3, 224, 224})}};
  Profiler::enable(false);
  Profiler::reset();
  session.run(inputs);  // not profiled: records nothing
  CHECK(Profiler::snapshot().models.empty());

  RunOptions profiled;
  profiled.profile = true;
  session.run(inputs, profiled);
  session.run(inputs, profiled);
  const Profiler::Snapshot snap = Profiler::snapshot();
  REQUIRE(snap.models.size() == 1);
  CHECK(snap.models[0].runs == 2);
  CHECK(snap.models[0].kernel_ms > 0.0);
  CHECK(snap.models[0].kernel_ms <= snap.models[0].run_ms);
  const Profiler::OpTime* conv = find_op(snap, "Conv");
  REQUIRE(conv != nullptr);
  CHECK(conv->nodes == 26);  // SqueezeNet 1.0 has 26 convolutions
  CHECK(conv->calls == 52);
  CHECK(snap.ops.front().total_ms >= snap.ops.back().total_ms);  // sorted, slowest first
  double summed = 0.0;
  for (const auto& n : snap.nodes) summed += n.total_ms;
  CHECK(summed == Approx(snap.models[0].kernel_ms));
  const std::string table = Profiler::report();
  CHECK(table.find("squeezenet1.0-fp32.onnx: 2 runs") != std::string::npos);
  CHECK(table.find("Conv") != std::string::npos);
  Profiler::reset();
  CHECK(Profiler::snapshot().models.empty());
}
