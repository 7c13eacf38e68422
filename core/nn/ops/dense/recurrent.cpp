#include "nn/ops/dense/recurrent.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

namespace neuropipe::nn::ops {

namespace {

using Kind = RecurrentActivation::Kind;

struct ActivationSpec {
  Kind kind;
  int params;  // how many of alpha, beta it takes from the attribute lists
  float alpha, beta;
};

const std::map<std::string, ActivationSpec>& activation_specs() {
  static const std::map<std::string, ActivationSpec> specs{
      {"relu", {Kind::relu, 0, 0, 0}},
      {"tanh", {Kind::tanh, 0, 0, 0}},
      {"sigmoid", {Kind::sigmoid, 0, 0, 0}},
      {"affine", {Kind::affine, 2, 1.f, 0.f}},
      {"leakyrelu", {Kind::leaky_relu, 1, 0.01f, 0}},
      {"thresholdedrelu", {Kind::thresholded_relu, 1, 1.f, 0}},
      {"scaledtanh", {Kind::scaled_tanh, 2, 1.f, 1.f}},
      {"hardsigmoid", {Kind::hard_sigmoid, 2, 0.2f, 0.5f}},
      {"elu", {Kind::elu, 1, 1.f, 0}},
      {"softsign", {Kind::softsign, 0, 0, 0}},
      {"softplus", {Kind::softplus, 0, 0, 0}}};
  return specs;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

float RecurrentActivation::operator()(float x) const {
  switch (kind) {
    case Kind::relu:
      return std::max(x, 0.f);
    case Kind::tanh:
      return std::tanh(x);
    case Kind::sigmoid:
      return 1.f / (1.f + std::exp(-x));
    case Kind::affine:
      return alpha * x + beta;
    case Kind::leaky_relu:
      return x >= 0 ? x : alpha * x;
    case Kind::thresholded_relu:
      return x > alpha ? x : 0.f;
    case Kind::scaled_tanh:
      return alpha * std::tanh(beta * x);
    case Kind::hard_sigmoid:
      return std::max(0.f, std::min(1.f, alpha * x + beta));
    case Kind::elu:
      return x >= 0 ? x : alpha * (std::exp(x) - 1.f);
    case Kind::softsign:
      return x / (1.f + std::abs(x));
    case Kind::softplus:
      return std::log1p(std::exp(x));
  }
  return x;
}

RecurrentAttributes RecurrentAttributes::parse(const KernelBuildContext& b,
                                               const std::vector<std::string>& defaults) {
  const Attributes& at = b.attributes();
  RecurrentAttributes a;
  a.hidden = at.require_int("hidden_size");
  if (a.hidden < 1) b.fail("attribute hidden_size must be >= 1");
  const std::string direction = at.get_string("direction", "forward");
  if (direction == "bidirectional")
    a.directions = 2;
  else if (direction == "reverse")
    a.reverse_only = true;
  else if (direction != "forward")
    b.fail("attribute direction has unknown value '" + direction + "'");
  a.batch_major = at.get_int("layout", 0) != 0;
  a.clip = at.get_float("clip", 0.f);
  if (at.has("clip") && a.clip <= 0.f) b.fail("attribute clip must be positive");
  std::vector<std::string> names =
      at.has("activations") ? at.get_strings("activations") : std::vector<std::string>{};
  if (names.empty())
    for (int64_t d = 0; d < a.directions; ++d) names.insert(names.end(), defaults.begin(), defaults.end());
  if (names.size() != defaults.size() * static_cast<size_t>(a.directions))
    b.fail("attribute activations needs " + std::to_string(defaults.size() * a.directions) + " names, got " +
           std::to_string(names.size()));
  // alpha/beta are consumed in order by the activations that take them.
  const std::vector<float> alphas = at.get_floats("activation_alpha"),
                           betas = at.get_floats("activation_beta");
  size_t next_alpha = 0, next_beta = 0;
  for (const std::string& name : names) {
    const auto it = activation_specs().find(lower(name));
    if (it == activation_specs().end()) b.fail("unsupported activation '" + name + "'");
    const ActivationSpec& spec = it->second;
    RecurrentActivation act{spec.kind, spec.alpha, spec.beta};
    if (spec.params >= 1 && next_alpha < alphas.size()) act.alpha = alphas[next_alpha++];
    if (spec.params >= 2 && next_beta < betas.size()) act.beta = betas[next_beta++];
    a.activations.push_back(act);
  }
  return a;
}

RecurrentRun start_recurrent(KernelContext& ctx, const RecurrentAttributes& a, int64_t gates) {
  const Tensor& x = float_input(ctx, 0, "X");
  const Tensor& w = float_input(ctx, 1, "W");
  const Tensor& rt = float_input(ctx, 2, "R");
  if (x.rank() != 3) ctx.fail("X must be 3-D, got " + shape_to_string(x.shape()));
  RecurrentRun r;
  r.batch_major = a.batch_major;
  r.seq = a.batch_major ? x.dim(1) : x.dim(0);
  r.batch = a.batch_major ? x.dim(0) : x.dim(1);
  r.input = x.dim(2);
  r.hidden = a.hidden;
  r.directions = a.directions;
  r.x = x.data<float>();
  if (w.shape() != Shape{a.directions, gates * a.hidden, r.input})
    ctx.fail("W " + shape_to_string(w.shape()) + " does not match directions, hidden_size and X");
  if (rt.shape() != Shape{a.directions, gates * a.hidden, a.hidden})
    ctx.fail("R " + shape_to_string(rt.shape()) + " does not match directions and hidden_size");
  r.lengths.assign(static_cast<size_t>(r.batch), r.seq);
  if (const Tensor* lens = ctx.num_inputs() > 4 ? ctx.input(4) : nullptr) {
    if (lens->numel() != r.batch) ctx.fail("sequence_lens must have one value per batch entry");
    r.lengths = lens->to_int64_vector();
    for (int64_t len : r.lengths)
      if (len < 0 || len > r.seq) ctx.fail("sequence_lens value " + std::to_string(len) + " is out of range");
  }
  const Shape y_shape = a.batch_major ? Shape{r.batch, r.seq, a.directions, a.hidden}
                                      : Shape{r.seq, a.directions, r.batch, a.hidden};
  if (Tensor* y = optional_output(ctx, 0, DType::f32, y_shape)) {
    r.y = y->data<float>();
    std::fill_n(r.y, y->numel(), 0.f);  // steps past a sequence's end stay zero
  }
  return r;
}

void load_initial_state(KernelContext& ctx, size_t index, const RecurrentRun& r, int64_t d, float* state) {
  const Tensor* init = index < ctx.num_inputs() ? ctx.input(index) : nullptr;
  if (!init) {
    std::fill_n(state, r.batch * r.hidden, 0.f);
    return;
  }
  if (init->dtype() != DType::f32 || init->numel() != r.directions * r.batch * r.hidden)
    ctx.fail("initial state input " + std::to_string(index) + " " + shape_to_string(init->shape()) +
             " does not match directions x batch x hidden_size");
  for (int64_t b = 0; b < r.batch; ++b)
    std::memcpy(state + b * r.hidden, init->data<float>() + r.state_at(d, b), sizeof(float) * r.hidden);
}

void store_final_state(KernelContext& ctx, size_t index, RecurrentRun& r, int64_t d, const float* state) {
  const Shape shape =
      r.batch_major ? Shape{r.batch, r.directions, r.hidden} : Shape{r.directions, r.batch, r.hidden};
  Tensor*& out = r.final_state[index];
  if (!out) out = optional_output(ctx, index, DType::f32, shape);
  if (!out) return;
  for (int64_t b = 0; b < r.batch; ++b)
    std::memcpy(out->data<float>() + r.state_at(d, b), state + b * r.hidden, sizeof(float) * r.hidden);
}

void project_inputs(RecurrentRun& r, const float* w_d, int64_t gates, const kernels::PackedB* packed) {
  const int64_t rows = r.seq * r.batch, cols = gates * r.hidden;
  r.xw.resize(static_cast<size_t>(rows * cols));
  kernels::gemm(kernels::best_gemm_micro_kernel(), rows, cols, r.input,
                kernels::view_a(kernels::MatrixView{r.x, r.input, 1}),
                packed ? kernels::packed_b(*packed) : kernels::view_b(kernels::MatrixView{w_d, 1, r.input}),
                kernels::plain_output(r.xw.data(), cols));
}

void project_state(const RecurrentRun& r, const float* h, const float* r_rows, int64_t rows, float* out,
                   const kernels::PackedB* packed) {
  kernels::gemm(kernels::best_gemm_micro_kernel(), r.batch, rows, r.hidden,
                kernels::view_a(kernels::MatrixView{h, r.hidden, 1}),
                packed ? kernels::packed_b(*packed) : kernels::view_b(kernels::MatrixView{r_rows, 1, r.hidden}),
                kernels::plain_output(out, rows),
                r.batch * rows * r.hidden > (1 << 18));  // threads only pay off on big states
}

std::vector<kernels::PackedB> pack_per_direction(const KernelBuildContext& b, size_t input, int64_t row_begin,
                                                 int64_t row_count) {
  std::vector<kernels::PackedB> packed;
  const Tensor* w = b.constant_input(input);
  if (!w || w->dtype() != DType::f32 || w->rank() != 3) return packed;
  const int64_t rows = w->dim(1), depth = w->dim(2), count = row_count < 0 ? rows - row_begin : row_count;
  if (row_begin < 0 || count <= 0 || row_begin + count > rows) return packed;
  for (int64_t d = 0; d < w->dim(0); ++d)
    packed.emplace_back(kernels::best_gemm_micro_kernel(), depth, count,
                        kernels::MatrixView{w->data<float>() + (d * rows + row_begin) * depth, 1, depth});
  return packed;
}

const kernels::PackedB* packed_for(const std::vector<kernels::PackedB>& packed, int64_t d, int64_t depth,
                                   int64_t cols) {
  if (static_cast<size_t>(d) >= packed.size()) return nullptr;
  const kernels::PackedB& p = packed[static_cast<size_t>(d)];
  return p.depth() == depth && p.cols() == cols ? &p : nullptr;
}

int64_t constant_hidden_size(const KernelBuildContext& b) {
  const Tensor* r = b.constant_input(2);
  return r && r->rank() == 3 ? r->dim(2) : 0;
}

}  // namespace neuropipe::nn::ops
