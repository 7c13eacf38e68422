// LSTM, GRU and RNN pack constant W and R once at load (a caption decoder runs
// one step per call and used to re-pack 6 MB of weights each time); the packed
// path must give exactly what the per-call path gives when W and R are graph
// inputs (GRU packs R's z/r rows and its h rows apart, both reset variants).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <string>

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

// One recurrent node: `gates` = 4 (LSTM), 3 (GRU), 1 (RNN). W, R and B as
// initializers (constants: packed at load) or W and R as graph inputs (packed per call).
ModelBuilder recurrent_model(const std::string& op, int64_t gates, bool constant_weights,
                             int64_t linear_before_reset = 0) {
  ModelBuilder m;
  m.input("x", kFloat, {kSeq, kBatch, kInput});
  const std::vector<int64_t> w_dims = {kDirs, gates * kHidden, kInput}, r_dims = {kDirs, gates * kHidden, kHidden};
  if (constant_weights) {
    m.initializer("W", w_dims, wave(kDirs * gates * kHidden * kInput, 0.1f));
    m.initializer("R", r_dims, wave(kDirs * gates * kHidden * kHidden, 0.9f));
  } else {
    m.input("W", kFloat, w_dims);
    m.input("R", kFloat, r_dims);
  }
  m.initializer("B", {kDirs, 2 * gates * kHidden}, wave(kDirs * 2 * gates * kHidden, 2.f));
  std::vector<std::string> outputs = {"y", "y_h"};
  if (op == "LSTM") outputs.push_back("y_c");
  auto& n = m.node(op, {"x", "W", "R", "B"}, outputs, "recurrent");
  auto* hidden = n.add_attribute();
  hidden->set_name("hidden_size");
  hidden->set_type(onnx::AttributeProto::INT);
  hidden->set_i(kHidden);
  auto* direction = n.add_attribute();
  direction->set_name("direction");
  direction->set_type(onnx::AttributeProto::STRING);
  direction->set_s("bidirectional");
  if (op == "GRU") {
    auto* lbr = n.add_attribute();
    lbr->set_name("linear_before_reset");
    lbr->set_type(onnx::AttributeProto::INT);
    lbr->set_i(linear_before_reset);
  }
  m.output("y", kFloat, {kSeq, kDirs, kBatch, kHidden});
  m.output("y_h", kFloat, {kDirs, kBatch, kHidden});
  if (op == "LSTM") m.output("y_c", kFloat, {kDirs, kBatch, kHidden});
  return m;
}

ModelBuilder lstm_model(bool constant_weights) { return recurrent_model("LSTM", 4, constant_weights); }

// Runs the constant-weight and the graph-input variant and compares every output bit for bit.
void check_packed_equals_per_call(const std::string& op, int64_t gates, int64_t linear_before_reset = 0) {
  const Tensor x = Tensor::from_vector<float>(wave(kSeq * kBatch * kInput, 0.3f), {kSeq, kBatch, kInput});
  const NamedTensors packed = Session(recurrent_model(op, gates, true, linear_before_reset).load()).run({{"x", x}});
  const NamedTensors per_call =
      Session(recurrent_model(op, gates, false, linear_before_reset).load())
          .run({{"x", x},
                {"W", Tensor::from_vector<float>(wave(kDirs * gates * kHidden * kInput, 0.1f),
                                                 {kDirs, gates * kHidden, kInput})},
                {"R", Tensor::from_vector<float>(wave(kDirs * gates * kHidden * kHidden, 0.9f),
                                                 {kDirs, gates * kHidden, kHidden})}});
  REQUIRE(packed.size() == per_call.size());
  for (const auto& [name, a] : packed) {
    INFO(op << " output " << name);
    const Tensor& b = per_call.at(name);
    REQUIRE(a.shape() == b.shape());
    CHECK(std::memcmp(a.raw(), b.raw(), a.bytes()) == 0);
  }
}

}  // namespace

TEST_CASE("LSTM with constant W/R (packed at load) equals LSTM with W/R given at run time", "[nn][lstm]") {
  check_packed_equals_per_call("LSTM", 4);
}

TEST_CASE("GRU and RNN with constant W/R (packed at load) equal their W/R given at run time", "[nn][gru][rnn]") {
  check_packed_equals_per_call("GRU", 3, 0);
  check_packed_equals_per_call("GRU", 3, 1);
  check_packed_equals_per_call("RNN", 1);
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
