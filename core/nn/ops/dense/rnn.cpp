// RNN (opsets 7-18): H = f(X W^T + H R^T + Wb + Rb); all directions, layouts,
// sequence_lens, initial_h, clip, activations; outputs Y and Y_h; constant W
// and R packed once at load (recurrent.hpp).
#include <memory>

#include "nn/ops/dense/recurrent.hpp"

namespace neuropipe::nn::ops {

namespace {

class Rnn final : public Kernel {
 public:
  explicit Rnn(const KernelBuildContext& b)
      : attrs_(RecurrentAttributes::parse(b, {"Tanh"})),
        packed_w_(pack_per_direction(b, 1)),
        packed_r_(pack_per_direction(b, 2)) {}

  void run(KernelContext& ctx) const override {
    RecurrentRun r = start_recurrent(ctx, attrs_, 1);
    const int64_t hs = r.hidden;
    const Tensor* bias = optional_float_input(ctx, 3, "B");
    if (bias && bias->numel() != r.directions * 2 * hs) ctx.fail("B must be [directions, 2*hidden_size]");
    std::vector<float> h(static_cast<size_t>(r.batch * hs)), hr(h.size());
    for (int64_t d = 0; d < r.directions; ++d) {
      const bool reverse = attrs_.reverse_only || d == 1;
      const float* rd = ctx.input(2)->data<float>() + d * hs * hs;
      const float* wb = bias ? bias->data<float>() + d * 2 * hs : nullptr;
      const RecurrentActivation& f = attrs_.activation(d, 0, 1);
      project_inputs(r, ctx.input(1)->data<float>() + d * hs * r.input, 1, packed_for(packed_w_, d, r.input, hs));
      load_initial_state(ctx, 5, r, d, h.data());
      for (int64_t s = 0; s < r.seq; ++s) {
        project_state(r, h.data(), rd, hs, hr.data(), packed_for(packed_r_, d, hs, hs));
        for_each_active(r, reverse, s, [&](int64_t b, int64_t t) {
          const float* xw = r.xw.data() + r.x_row(t, b) * hs;
          float* hb = h.data() + b * hs;
          for (int64_t i = 0; i < hs; ++i) {
            const float pre = xw[i] + hr[b * hs + i] + (wb ? wb[i] + wb[hs + i] : 0.f);
            hb[i] = f(attrs_.clipped(pre));
          }
          if (r.y) std::copy_n(hb, hs, r.y_at(t, d, b));
        });
      }
      store_final_state(ctx, 1, r, d, h.data());
    }
  }

 private:
  RecurrentAttributes attrs_;
  std::vector<kernels::PackedB> packed_w_, packed_r_;  // constant W / R packed at load, one per direction
};

}  // namespace

NP_REGISTER_KERNEL("RNN", 1, 1000, [](const KernelBuildContext& b) { return std::make_unique<Rnn>(b); });

}  // namespace neuropipe::nn::ops
