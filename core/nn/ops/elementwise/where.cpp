// Where: out = condition ? x : y, all three broadcasting together.
#include <memory>

#include "nn/ops/elementwise/binary.hpp"

namespace neuropipe::nn::ops {
namespace {

class Where final : public Kernel {
 public:
  void run(KernelContext& ctx) const override {
    const Tensor& condition = *ctx.input(0);
    const Tensor& x = *ctx.input(1);
    const Tensor& y = *ctx.input(2);
    if (condition.dtype() != DType::boolean) ctx.fail("condition must be bool");
    if (x.dtype() != y.dtype()) ctx.fail("X and Y have different element types");
    const Shape shape = broadcast_or_fail(ctx, broadcast_or_fail(ctx, condition.shape(), x.shape()), y.shape());
    Tensor& out = ctx.output(0, x.dtype(), shape);
    const bool supported = visit_dtype(x.dtype(), AllTypes{}, [&](auto tag) {
      using T = typename decltype(tag)::type;
      broadcast_ternary(condition.data<bool>(), condition.shape(), x.data<T>(), x.shape(), y.data<T>(),
                        y.shape(), out.data<T>(), shape, [](bool c, T a, T b) { return c ? a : b; });
    });
    if (!supported) ctx.fail(unsupported_dtype_message(x.dtype()));
  }
};

NP_REGISTER_KERNEL("Where", 9, 1000,
                   [](const KernelBuildContext&) -> std::unique_ptr<Kernel> { return std::make_unique<Where>(); });

}  // namespace
}  // namespace neuropipe::nn::ops
