// GRU (opsets 7-18), gates z, r, h:
//   z = f(Xz + H Rz^T + Wbz + Rbz),  r = f(Xr + H Rr^T + Wbr + Rbr)
//   linear_before_reset=0: h~ = g(Xh + (r . H) Rh^T + Rbh + Wbh)
//   linear_before_reset=1: h~ = g(Xh + r . (H Rh^T + Rbh) + Wbh)
//   H = (1 - z) . h~ + z . H
// All directions, layouts, sequence_lens, initial_h, clip, activations;
// constant W and R packed once at load (recurrent.hpp).
#include <memory>

#include "nn/ops/dense/recurrent.hpp"

namespace neuropipe::nn::ops {

namespace {

class Gru final : public Kernel {
 public:
  explicit Gru(const KernelBuildContext& b)
      : attrs_(RecurrentAttributes::parse(b, {"Sigmoid", "Tanh"})),
        linear_before_reset_(b.attributes().get_int("linear_before_reset", 0) != 0),
        packed_w_(pack_per_direction(b, 1)),
        packed_r_zr_(pack_per_direction(b, 2, 0, 2 * constant_hidden_size(b))),
        packed_r_h_(pack_per_direction(b, 2, 2 * constant_hidden_size(b), constant_hidden_size(b))) {}

  void run(KernelContext& ctx) const override {
    RecurrentRun r = start_recurrent(ctx, attrs_, 3);
    const int64_t hs = r.hidden;
    const Tensor* bias = optional_float_input(ctx, 3, "B");
    if (bias && bias->numel() != r.directions * 6 * hs) ctx.fail("B must be [directions, 6*hidden_size]");
    const std::vector<float> zeros(static_cast<size_t>(6 * hs), 0.f);
    std::vector<float> h(static_cast<size_t>(r.batch * hs)), zr(static_cast<size_t>(r.batch * 2 * hs));
    std::vector<float> hh(h.size()), reset_h(h.size());
    for (int64_t d = 0; d < r.directions; ++d) {
      const bool reverse = attrs_.reverse_only || d == 1;
      const float* rd = ctx.input(2)->data<float>() + d * 3 * hs * hs;
      const float* wb = bias ? bias->data<float>() + d * 6 * hs : zeros.data();
      const float* rb = wb + 3 * hs;
      const RecurrentActivation &f = attrs_.activation(d, 0, 2), &g = attrs_.activation(d, 1, 2);
      project_inputs(r, ctx.input(1)->data<float>() + d * 3 * hs * r.input, 3, packed_for(packed_w_, d, r.input, 3 * hs));
      load_initial_state(ctx, 5, r, d, h.data());
      for (int64_t s = 0; s < r.seq; ++s) {
        project_state(r, h.data(), rd, 2 * hs, zr.data(), packed_for(packed_r_zr_, d, hs, 2 * hs));
        for_each_active(r, reverse, s, [&](int64_t b, int64_t t) {
          const float* xw = r.xw.data() + r.x_row(t, b) * 3 * hs;
          float* gates = zr.data() + b * 2 * hs;  // becomes z, r in place
          for (int64_t i = 0; i < 2 * hs; ++i) gates[i] = f(attrs_.clipped(xw[i] + gates[i] + wb[i] + rb[i]));
          for (int64_t i = 0; i < hs; ++i) reset_h[b * hs + i] = gates[hs + i] * h[b * hs + i];
        });
        // The candidate's recurrent term: on r . H, or on H (scaled by r after).
        project_state(r, linear_before_reset_ ? h.data() : reset_h.data(), rd + 2 * hs * hs, hs, hh.data(),
                      packed_for(packed_r_h_, d, hs, hs));
        for_each_active(r, reverse, s, [&](int64_t b, int64_t t) {
          const float* xw = r.xw.data() + r.x_row(t, b) * 3 * hs + 2 * hs;
          const float* z = zr.data() + b * 2 * hs;
          const float* reset = z + hs;
          float* hb = h.data() + b * hs;
          for (int64_t i = 0; i < hs; ++i) {
            const float rec = hh[b * hs + i] + rb[2 * hs + i];
            const float pre = xw[i] + wb[2 * hs + i] + (linear_before_reset_ ? reset[i] * rec : rec);
            const float candidate = g(attrs_.clipped(pre));
            hb[i] = (1.f - z[i]) * candidate + z[i] * hb[i];
          }
          if (r.y) std::copy_n(hb, hs, r.y_at(t, d, b));
        });
      }
      store_final_state(ctx, 1, r, d, h.data());
    }
  }

 private:
  RecurrentAttributes attrs_;
  bool linear_before_reset_;
  // Constant W and R packed at load, one per direction (R's z/r rows and its h
  // rows apart: they multiply H and r . H); empty when given at run time.
  std::vector<kernels::PackedB> packed_w_, packed_r_zr_, packed_r_h_;
};

}  // namespace

NP_REGISTER_KERNEL("GRU", 1, 1000, [](const KernelBuildContext& b) { return std::make_unique<Gru>(b); });

}  // namespace neuropipe::nn::ops
