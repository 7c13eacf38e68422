#pragma once
// What RNN, GRU and LSTM share: attributes (direction, hidden_size, clip,
// activations, layout), the sequence/batch layout of X, Y, Y_h and Y_c,
// sequence_lens, and the time loop. Each op only supplies its cell update.
//
// Per direction, X * W^T for all time steps is one GEMM up front; each step
// then does one GEMM H_prev * R^T over the batch and the op's cell math.
// Reverse direction walks each batch entry from its own last valid step.
#include <functional>
#include <string>
#include <vector>

#include "nn/kernels/gemm.hpp"
#include "nn/ops/dense/dense_op_support.hpp"

namespace neuropipe::nn::ops {

// One of the ONNX RNN activation functions with its alpha/beta.
struct RecurrentActivation {
  enum class Kind {
    relu,
    tanh,
    sigmoid,
    affine,
    leaky_relu,
    thresholded_relu,
    scaled_tanh,
    hard_sigmoid,
    elu,
    softsign,
    softplus
  };
  Kind kind = Kind::sigmoid;
  float alpha = 0.f, beta = 0.f;
  float operator()(float x) const;
};

struct RecurrentAttributes {
  int64_t hidden = 0;
  int64_t directions = 1;
  bool reverse_only = false;  // direction = "reverse"
  bool batch_major = false;   // layout = 1
  float clip = 0.f;           // 0: no clipping
  // per_direction activations for direction d: activations[d * per_direction + i]
  std::vector<RecurrentActivation> activations;

  // `defaults` are the op's activations for one direction (e.g. Sigmoid, Tanh, Tanh).
  static RecurrentAttributes parse(const KernelBuildContext& b, const std::vector<std::string>& defaults);
  const RecurrentActivation& activation(int64_t direction, size_t i, size_t per_direction) const {
    return activations[static_cast<size_t>(direction) * per_direction + i];
  }
  float clipped(float v) const { return clip > 0.f ? std::min(std::max(v, -clip), clip) : v; }
};

// Shapes and output buffers of one call.
struct RecurrentRun {
  int64_t seq = 0, batch = 0, input = 0, hidden = 0, directions = 1;
  bool batch_major = false;
  const float* x = nullptr;
  std::vector<int64_t> lengths;  // per batch entry
  float* y = nullptr;            // may be null (output not requested)
  std::vector<float> xw;         // X * W^T for the direction being run: one row of gates per X row
  // Y_h / Y_c (outputs 1 and 2), made on the first direction's store: asking the
  // context for an output again hands back a fresh buffer, losing the others.
  Tensor* final_state[3] = {nullptr, nullptr, nullptr};

  int64_t x_row(int64_t t, int64_t b) const { return batch_major ? b * seq + t : t * batch + b; }
  float* y_at(int64_t t, int64_t d, int64_t b) const {
    return y + (batch_major ? (b * seq + t) * directions + d : (t * directions + d) * batch + b) * hidden;
  }
  // Offset of (direction, batch) in Y_h / Y_c / initial_h / initial_c.
  int64_t state_at(int64_t d, int64_t b) const {
    return (batch_major ? b * directions + d : d * batch + b) * hidden;
  }
};

// Validates X, W, R, sequence_lens; allocates Y (output 0) zeroed; fills lengths.
RecurrentRun start_recurrent(KernelContext& ctx, const RecurrentAttributes& a, int64_t gates);

// Copies initial state (input `index`, may be absent -> zeros) of direction d into state[batch x hidden].
void load_initial_state(KernelContext& ctx, size_t index, const RecurrentRun& r, int64_t d, float* state);
// Writes state of direction d into output `index` (Y_h / Y_c), if requested.
void store_final_state(KernelContext& ctx, size_t index, RecurrentRun& r, int64_t d, const float* state);

// r.xw = X * W_d^T (rows = X rows, gates*hidden columns); `packed` is W_d^T
// packed at load (pack_per_direction), else W_d is packed per call.
void project_inputs(RecurrentRun& r, const float* w_d, int64_t gates, const kernels::PackedB* packed = nullptr);
// out[batch x rows] = h[batch x hidden] * R_rows^T, R_rows being `rows` consecutive rows of R;
// `packed`, when given, is all of R_d^T packed at load.
void project_state(const RecurrentRun& r, const float* h, const float* r_rows, int64_t rows, float* out,
                   const kernels::PackedB* packed = nullptr);

// A constant W or R ([directions, rows, depth]) packed once at load, one
// transposed panel set per direction: a decoder running one step per call
// (batch 1) would otherwise re-pack the whole matrix every step. Only rows
// [row_begin, row_begin + row_count) when row_count >= 0 (GRU multiplies R's
// z/r rows and its h rows by different states). Empty when the input is not a
// constant float tensor of rank 3 holding those rows.
std::vector<kernels::PackedB> pack_per_direction(const KernelBuildContext& b, size_t input, int64_t row_begin = 0,
                                                 int64_t row_count = -1);

// The panels of direction d packed at load, when their sizes are this run's
// (depth x cols); otherwise nullptr and the GEMM packs W/R itself.
const kernels::PackedB* packed_for(const std::vector<kernels::PackedB>& packed, int64_t d, int64_t depth,
                                   int64_t cols);

// The hidden size a constant R ([directions, gates*hidden, hidden]) implies, or 0.
int64_t constant_hidden_size(const KernelBuildContext& b);

// Calls step(b, t) for every batch entry active at step s of direction d, in time order of that direction.
template <class Step>
void for_each_active(const RecurrentRun& r, bool reverse, int64_t s, Step&& step) {
  for (int64_t b = 0; b < r.batch; ++b)
    if (s < r.lengths[b]) step(b, reverse ? r.lengths[b] - 1 - s : s);
}

}  // namespace neuropipe::nn::ops
