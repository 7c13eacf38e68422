// Softmax (opsets 1-18): exp(x - max) / sum, along the axis rule of softmax_axis.hpp.
#include <cmath>

#include "nn/ops/dense/softmax_axis.hpp"

namespace neuropipe::nn::ops {

namespace {

class Softmax final : public Kernel {
 public:
  explicit Softmax(const KernelBuildContext& b) : axis_(b) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = float_input(ctx, 0, "input");
    Tensor& y = ctx.output(0, DType::f32, x.shape());
    if (x.numel() == 0) return;
    for_each_softmax_line(axis_.lines(ctx, x.shape()), x.data<float>(), y.data<float>(),
                          [](const float* in, float* out, int64_t n, int64_t stride) {
                            float max = in[0];
                            for (int64_t i = 1; i < n; ++i) max = std::max(max, in[i * stride]);
                            float sum = 0.f;
                            for (int64_t i = 0; i < n; ++i)
                              sum += out[i * stride] = std::exp(in[i * stride] - max);
                            const float inv = 1.f / sum;
                            for (int64_t i = 0; i < n; ++i) out[i * stride] *= inv;
                          });
  }

 private:
  SoftmaxAxis axis_;
};

}  // namespace

NP_REGISTER_KERNEL("Softmax", 1, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<Softmax>(b); });

}  // namespace neuropipe::nn::ops
