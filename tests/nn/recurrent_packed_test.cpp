// LSTM packs constant W and R once at load (a caption decoder runs one step
// per call and used to re-pack 6 MB of weights each time); the packed path must
// give exactly what the per-call path gives when W and R are graph inputs.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>

#include "model_builder.hpp"
#include "neuropipe/nn/model.hpp"

using namespace neuropipe;
using namespace neuropipe::nn;
using test::ModelBuilder;

namespace {

constexpr int kFloat = onnx::TensorProto::FLOAT;
constexpr int64_t kDirs = 2, kHidden = 5, kInput = 3, kSeq = 4, kBatch = 2;

std::vector<float> wave(size_t n, float phase) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = 0.4f * std::sin(0.7f * static_cast<float>(i) + phase);
  return v;
}

// W, R and B as initializers (constants: packed at load) or as graph inputs (packed per call).
ModelBuilder lstm_model(bool constant_weights) {
  ModelBuilder m;
  m.input("x", kFloat, {kSeq, kBatch, kInput});
  const std::vector<int64_t> w_dims = {kDirs, 4 * kHidden, kInput}, r_dims = {kDirs, 4 * kHidden, kHidden};
  if (constant_weights) {
    m.initializer("W", w_dims, wave(kDirs * 4 * kHidden * kInput, 0.1f));
    m.initializer("R", r_dims, wave(kDirs * 4 * kHidden * kHidden, 0.9f));
  } else {
    m.input("W", kFloat, w_dims);
    m.input("R", kFloat, r_dims);
  }
  m.initializer("B", {kDirs, 8 * kHidden}, wave(kDirs * 8 * kHidden, 2.f));
  auto& n = m.node("LSTM", {"x", "W", "R", "B"}, {"y", "y_h", "y_c"}, "lstm");
  auto* hidden = n.add_attribute();
  hidden->set_name("hidden_size");
  hidden->set_type(onnx::AttributeProto::INT);
  hidden->set_i(kHidden);
  auto* direction = n.add_attribute();
  direction->set_name("direction");
  direction->set_type(onnx::AttributeProto::STRING);
  direction->set_s("bidirectional");
  m.output("y", kFloat, {kSeq, kDirs, kBatch, kHidden});
  m.output("y_h", kFloat, {kDirs, kBatch, kHidden});
  m.output("y_c", kFloat, {kDirs, kBatch, kHidden});
  return m;
}

}  // namespace

TEST_CASE("LSTM with constant W/R (packed at load) equals LSTM with W/R given at run time", "[nn][lstm]") {
  const Tensor x = Tensor::from_vector<float>(wave(kSeq * kBatch * kInput, 0.3f), {kSeq, kBatch, kInput});
  const NamedTensors packed = Session(lstm_model(true).load()).run({{"x", x}});
  const NamedTensors per_call = Session(lstm_model(false).load())
                                    .run({{"x", x},
                                          {"W", Tensor::from_vector<float>(wave(kDirs * 4 * kHidden * kInput, 0.1f),
                                                                           {kDirs, 4 * kHidden, kInput})},
                                          {"R", Tensor::from_vector<float>(wave(kDirs * 4 * kHidden * kHidden, 0.9f),
                                                                           {kDirs, 4 * kHidden, kHidden})}});
  for (const char* name : {"y", "y_h", "y_c"}) {
    const Tensor &a = packed.at(name), &b = per_call.at(name);
    REQUIRE(a.shape() == b.shape());
    CHECK(std::memcmp(a.raw(), b.raw(), a.bytes()) == 0);
  }
}

// Y_h holds each direction's last state: the forward direction's at the last
// step, the reverse direction's at the first. (Both directions store into the
// one Y_h; asking the context for it twice used to drop the forward half.)
TEST_CASE("bidirectional LSTM: Y_h is Y's last forward step and first reverse step", "[nn][lstm]") {
  const Tensor x = Tensor::from_vector<float>(wave(kSeq * kBatch * kInput, 0.3f), {kSeq, kBatch, kInput});
  const NamedTensors out = Session(lstm_model(true).load()).run({{"x", x}});
  const float* y = out.at("y").data<float>();    // [seq, dirs, batch, hidden]
  const float* yh = out.at("y_h").data<float>(); // [dirs, batch, hidden]
  for (int64_t b = 0; b < kBatch; ++b)
    for (int64_t i = 0; i < kHidden; ++i) {
      CHECK(yh[(0 * kBatch + b) * kHidden + i] == y[(((kSeq - 1) * kDirs + 0) * kBatch + b) * kHidden + i]);
      CHECK(yh[(1 * kBatch + b) * kHidden + i] == y[((0 * kDirs + 1) * kBatch + b) * kHidden + i]);
    }
}
