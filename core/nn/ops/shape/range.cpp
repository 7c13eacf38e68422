// Range: start, start + delta, ... while short of limit;
// count = max(ceil((limit - start) / delta), 0), in the inputs' type.
#include <cmath>

#include "nn/kernel.hpp"
#include "nn/ops/common/dtype_dispatch.hpp"

namespace neuropipe::nn {
namespace {

using RangeTypes = ops::TypeList<float, double, int16_t, int32_t, int64_t>;

class Range final : public Kernel {
 public:
  explicit Range(const KernelBuildContext&) {}

  void run(KernelContext& ctx) const override {
    const Tensor& start = *ctx.input(0);
    const Tensor& limit = *ctx.input(1);
    const Tensor& delta = *ctx.input(2);
    if (start.numel() != 1 || limit.numel() != 1 || delta.numel() != 1)
      ctx.fail("start, limit and delta must be scalars");
    if (start.dtype() != limit.dtype() || start.dtype() != delta.dtype())
      ctx.fail("start, limit and delta differ in type");
    const bool ok = ops::visit_dtype(start.dtype(), RangeTypes{}, [&](auto tag) {
      using T = typename decltype(tag)::type;
      const T s = start.data<T>()[0], l = limit.data<T>()[0], d = delta.data<T>()[0];
      if (d == T{0}) ctx.fail("delta is 0");
      const double steps =
          std::ceil((static_cast<double>(l) - static_cast<double>(s)) / static_cast<double>(d));
      const int64_t n = std::max<int64_t>(0, static_cast<int64_t>(steps));
      T* out = ctx.output(0, start.dtype(), {n}).template data<T>();
      for (int64_t i = 0; i < n; ++i) out[i] = static_cast<T>(s + static_cast<T>(i) * d);
    });
    if (!ok) ctx.fail(ops::unsupported_dtype_message(start.dtype()));
  }
};

NP_REGISTER_KERNEL("Range", 11, 1000, [](const KernelBuildContext& b) { return std::make_unique<Range>(b); });

}  // namespace
}  // namespace neuropipe::nn
