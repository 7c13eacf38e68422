// Hardmax (opsets 1-18): 1 at the first maximum of each line, 0 elsewhere,
// along the axis rule of softmax_axis.hpp.
#include "nn/ops/dense/softmax_axis.hpp"

namespace neuropipe::nn::ops {

namespace {

class Hardmax final : public Kernel {
 public:
  explicit Hardmax(const KernelBuildContext& b) : axis_(b) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = float_input(ctx, 0, "input");
    Tensor& y = ctx.output(0, DType::f32, x.shape());
    if (x.numel() == 0) return;
    for_each_softmax_line(axis_.lines(ctx, x.shape()), x.data<float>(), y.data<float>(),
                          [](const float* in, float* out, int64_t n, int64_t stride) {
                            int64_t best = 0;
                            for (int64_t i = 1; i < n; ++i)
                              if (in[i * stride] > in[best * stride]) best = i;
                            for (int64_t i = 0; i < n; ++i) out[i * stride] = i == best ? 1.f : 0.f;
                          });
  }

 private:
  SoftmaxAxis axis_;
};

}  // namespace

NP_REGISTER_KERNEL("Hardmax", 1, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<Hardmax>(b); });

}  // namespace neuropipe::nn::ops
