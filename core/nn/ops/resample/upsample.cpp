// Upsample (opsets 7-9, deprecated by Resize): integer-free scale factors >= 1
// per dim, from the `scales` attribute (7) or input (9); nearest or
// (bi)linear with asymmetric coordinates, i.e. Resize-10's behaviour.
#include <cmath>

#include "nn/kernel.hpp"
#include "nn/ops/resample/resize.hpp"

namespace neuropipe::nn {
namespace {

class Upsample final : public Kernel {
 public:
  explicit Upsample(const KernelBuildContext& b)
      : options_(ops::parse_resize_options(b)), scales_attr_(b.attributes().get_floats("scales")) {
    if (options_.mode == ops::ResizeMode::cubic) b.fail("Upsample supports only nearest and linear");
    if (b.num_inputs() < 2 && scales_attr_.empty())
      b.fail("needs scales (attribute at opset 7, input from 9)");
  }

  void run(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const Tensor* scales_input = ctx.num_inputs() > 1 ? ctx.input(1) : nullptr;
    std::vector<float> scales = scales_attr_;
    if (scales_input) {
      const Tensor values = scales_input->to(DType::f32);
      scales.assign(values.span<float>().begin(), values.span<float>().end());
    }
    if (scales.size() != x.rank())
      ctx.fail("scales must have one value per dim (" + std::to_string(x.rank()) + ")");
    std::vector<ops::AxisResize> plan;
    for (size_t d = 0; d < x.rank(); ++d) {
      if (!(scales[d] >= 1.0f)) ctx.fail("scales[" + std::to_string(d) + "] must be >= 1");
      plan.push_back({x.dim(d), static_cast<int64_t>(std::floor(static_cast<double>(x.dim(d)) * scales[d])),
                      scales[d], 0.0, 1.0});
    }
    ops::run_resize(ctx, x, plan, options_);
  }

 private:
  ops::ResizeOptions options_;
  std::vector<float> scales_attr_;
};

NP_REGISTER_KERNEL("Upsample", 7, 9,
                   [](const KernelBuildContext& b) { return std::make_unique<Upsample>(b); });

}  // namespace
}  // namespace neuropipe::nn
