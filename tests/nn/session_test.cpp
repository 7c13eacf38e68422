#include <catch2/catch.hpp>

#include <atomic>
#include <cstring>
#include <thread>

#include "model_builder.hpp"
#include "neuropipe/nn/model.hpp"
#include "test_support.hpp"

using namespace neuropipe;
using namespace neuropipe::nn;

namespace {
Tensor patterned(Shape shape, int seed) {
  Tensor t = Tensor::empty(DType::f32, std::move(shape));
  for (int64_t i = 0; i < t.numel(); ++i) t.data<float>()[i] = static_cast<float>((i * 31 + seed * 17) % 97) / 97.f;
  return t;
}
bool same(const Tensor& a, const Tensor& b) {
  return a.shape() == b.shape() && a.dtype() == b.dtype() && std::memcmp(a.raw(), b.raw(), a.bytes()) == 0;
}
}  // namespace

TEST_CASE("one Model runs from 8 threads at once with identical results", "[nn][session][concurrency]") {
  auto model = Model::load(test::shared_file("models/classify/mnist-cnn.onnx"));
  const std::string in = model->inputs()[0].name, out = model->outputs()[0].name;
  std::vector<Tensor> inputs, expected;
  for (int i = 0; i < 4; ++i) {
    inputs.push_back(patterned({1, 1, 28, 28}, i));
    expected.push_back(Session(model).run({{in, inputs.back()}}).at(out));
  }
  std::atomic<int> mismatches{0}, errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      try {
        Session s(model);  // one session per thread, the model shared
        for (int run = 0; run < 25; ++run) {
          int k = (t + run) % 4;
          if (!same(s.run({{in, inputs[k]}}).at(out), expected[k])) mismatches++;
        }
      } catch (...) {
        errors++;
      }
    });
  for (auto& th : threads) th.join();
  CHECK(errors == 0);
  CHECK(mismatches == 0);
}

TEST_CASE("the arena reuses buffers: peak below the sum of all intermediates", "[nn][session][arena]") {
  auto model = Model::load(test::shared_file("models/classify/squeezenet1.0-fp32.onnx"));
  Session s(model);
  Tensor x = patterned({1, 3, 224, 224}, 1);
  Tensor first = s.run({{model->inputs()[0].name, x}}).begin()->second;
  RunStats stats = s.last_stats();
  INFO("peak " << stats.arena_peak_bytes << " of " << stats.intermediate_bytes);
  CHECK(stats.arena_peak_bytes > 0);
  // Relu runs inside its Conv (fuse_activation), so only half as many intermediates exist as in
  // the file; the peak (conv1's 4.6 MB output + the pool after it) is still well below their sum.
  CHECK(stats.arena_peak_bytes * 2 < stats.intermediate_bytes);
  // A second run with the same shapes reuses the plan: same footprint, same result.
  CHECK(same(s.run({{model->inputs()[0].name, x}}).begin()->second, first));
  CHECK(s.last_stats().arena_peak_bytes == stats.arena_peak_bytes);
}

TEST_CASE("a dynamic-size model re-plans when the input size changes", "[nn][session][dynamic]") {
  auto model = Model::load(test::shared_file("models/face/yunet-n-dynamic.onnx"));
  Session s(model);
  const std::string in = model->inputs()[0].name;
  Tensor small = patterned({1, 3, 160, 160}, 2), large = patterned({1, 3, 320, 256}, 3);
  NamedTensors a = s.run({{in, small}});
  uint64_t small_peak = s.last_stats().arena_peak_bytes;
  NamedTensors b = s.run({{in, large}});
  CHECK(s.last_stats().arena_peak_bytes > small_peak);
  const std::string out = model->outputs()[0].name;
  CHECK(b.at(out).numel() > a.at(out).numel());
  NamedTensors again = s.run({{in, small}});
  for (const auto& [name, t] : a) CHECK(same(again.at(name), t));
}

TEST_CASE("RunOptions::max_threads = 1 gives the same result", "[nn][session][threads]") {
  auto model = Model::load(test::shared_file("models/classify/mnist-cnn.onnx"));
  Session s(model);
  Tensor x = patterned({1, 1, 28, 28}, 5);
  RunOptions one;
  one.max_threads = 1;
  const std::string in = model->inputs()[0].name;
  CHECK(same(s.run({{in, x}}, one).begin()->second, s.run({{in, x}}).begin()->second));
  CHECK(Engine::max_threads() >= 1);
}
