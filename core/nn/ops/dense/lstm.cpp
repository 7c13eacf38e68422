// LSTM (opsets 7-18), gates i, o, f, c (the ONNX order of W, R and B):
//   i = f(Xi + H Ri^T + bi + Pi . C),  f = f(Xf + H Rf^T + bf + Pf . C)  (or 1 - i with input_forget)
//   c~ = g(Xc + H Rc^T + bc),  C = f . C + i . c~
//   o = f(Xo + H Ro^T + bo + Po . C),  H = o . h(C)
// All directions, layouts, sequence_lens, initial_h/initial_c, peepholes P,
// clip, activations; outputs Y, Y_h, Y_c.
#include <memory>

#include "nn/ops/dense/recurrent.hpp"

namespace neuropipe::nn::ops {

namespace {

class Lstm final : public Kernel {
 public:
  explicit Lstm(const KernelBuildContext& b)
      : attrs_(RecurrentAttributes::parse(b, {"Sigmoid", "Tanh", "Tanh"})),
        input_forget_(b.attributes().get_int("input_forget", 0) != 0),
        packed_w_(pack_per_direction(b, 1)),
        packed_r_(pack_per_direction(b, 2)) {}

  void run(KernelContext& ctx) const override {
    RecurrentRun r = start_recurrent(ctx, attrs_, 4);
    const int64_t hs = r.hidden;
    const Tensor* bias = optional_float_input(ctx, 3, "B");
    const Tensor* peep = optional_float_input(ctx, 7, "P");
    if (bias && bias->numel() != r.directions * 8 * hs) ctx.fail("B must be [directions, 8*hidden_size]");
    if (peep && peep->numel() != r.directions * 3 * hs) ctx.fail("P must be [directions, 3*hidden_size]");
    const std::vector<float> zeros(static_cast<size_t>(8 * hs), 0.f);
    std::vector<float> h(static_cast<size_t>(r.batch * hs)), c(h.size()),
        gates(static_cast<size_t>(r.batch * 4 * hs));
    for (int64_t d = 0; d < r.directions; ++d) {
      const bool reverse = attrs_.reverse_only || d == 1;
      const float* rd = ctx.input(2)->data<float>() + d * 4 * hs * hs;
      const float* wb = bias ? bias->data<float>() + d * 8 * hs : zeros.data();
      const float* rb = wb + 4 * hs;
      const float* p = peep ? peep->data<float>() + d * 3 * hs : zeros.data();
      const RecurrentActivation &f = attrs_.activation(d, 0, 3), &g = attrs_.activation(d, 1, 3),
                                &hact = attrs_.activation(d, 2, 3);
      project_inputs(r, ctx.input(1)->data<float>() + d * 4 * hs * r.input, 4, packed_for(packed_w_, d, r.input, 4 * hs));
      load_initial_state(ctx, 5, r, d, h.data());
      load_initial_state(ctx, 6, r, d, c.data());
      for (int64_t s = 0; s < r.seq; ++s) {
        project_state(r, h.data(), rd, 4 * hs, gates.data(), packed_for(packed_r_, d, hs, 4 * hs));
        for_each_active(r, reverse, s, [&](int64_t b, int64_t t) {
          const float* xw = r.xw.data() + r.x_row(t, b) * 4 * hs;
          const float* gh = gates.data() + b * 4 * hs;
          float *hb = h.data() + b * hs, *cb = c.data() + b * hs;
          auto pre = [&](int gate, int64_t i) {
            return xw[gate * hs + i] + gh[gate * hs + i] + wb[gate * hs + i] + rb[gate * hs + i];
          };
          for (int64_t i = 0; i < hs; ++i) {
            const float in_gate = f(attrs_.clipped(pre(0, i) + p[i] * cb[i]));
            const float forget =
                input_forget_ ? 1.f - in_gate : f(attrs_.clipped(pre(2, i) + p[2 * hs + i] * cb[i]));
            const float cell = g(attrs_.clipped(pre(3, i)));
            cb[i] = forget * cb[i] + in_gate * cell;
            const float out_gate = f(attrs_.clipped(pre(1, i) + p[hs + i] * cb[i]));
            hb[i] = out_gate * hact(cb[i]);
          }
          if (r.y) std::copy_n(hb, hs, r.y_at(t, d, b));
        });
      }
      store_final_state(ctx, 1, r, d, h.data());
      store_final_state(ctx, 2, r, d, c.data());
    }
  }

 private:
  RecurrentAttributes attrs_;
  bool input_forget_;
  std::vector<kernels::PackedB> packed_w_, packed_r_;  // constant W / R, one per direction
};

}  // namespace

NP_REGISTER_KERNEL("LSTM", 1, 1000, [](const KernelBuildContext& b) { return std::make_unique<Lstm>(b); });

}  // namespace neuropipe::nn::ops
