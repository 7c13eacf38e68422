// PRelu: x < 0 ? slope * x : x, the slope broadcasting onto X (one direction:
// the output always has X's shape).
#include <memory>

#include "nn/ops/elementwise/binary.hpp"

namespace neuropipe::nn::ops {
namespace {

using PReluTypes = decltype(FloatTypes{} + TypeList<int32_t, int64_t, uint32_t, uint64_t>{});

class PRelu final : public Kernel {
 public:
  void run(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const Tensor& slope = *ctx.input(1);
    if (x.dtype() != slope.dtype()) ctx.fail("X and slope have different element types");
    if (broadcast_or_fail(ctx, x.shape(), slope.shape()) != x.shape())
      ctx.fail("slope " + shape_to_string(slope.shape()) + " does not broadcast to X " +
               shape_to_string(x.shape()));
    Tensor& out = ctx.output(0, x.dtype(), x.shape());
    const bool supported = visit_dtype(x.dtype(), PReluTypes{}, [&](auto tag) {
      using T = typename decltype(tag)::type;
      broadcast_binary(x.data<T>(), x.shape(), slope.data<T>(), slope.shape(), out.data<T>(), x.shape(),
                       [](T v, T s) {
                         return v < T(0) ? T(s * v) : v;
                       });
    });
    if (!supported) ctx.fail(unsupported_dtype_message(x.dtype()));
  }
};

NP_REGISTER_KERNEL("PRelu", 7, 1000, [](const KernelBuildContext&) -> std::unique_ptr<Kernel> {
  return std::make_unique<PRelu>();
});

}  // namespace
}  // namespace neuropipe::nn::ops
