// Pow: base and exponent may have different element types; the result has the
// base's. Integer powers of integers are computed exactly by squaring (a
// double round trip loses int64 precision); everything else uses std::pow.
#include <cmath>
#include <memory>
#include <type_traits>

#include "nn/ops/elementwise/binary.hpp"

namespace neuropipe::nn::ops {
namespace {

using BaseTypes = TypeList<float, double, int32_t, int64_t>;

template <class B, class E>
B integer_power(B base, E exponent) {
  if constexpr (std::is_signed_v<E>) {
    // Only |base| == 1 has a non-zero integer result for a negative exponent.
    if (exponent < 0) return base == 1 ? 1 : base == -1 ? (exponent % 2 ? -1 : 1) : 0;
  }
  B result = 1;
  for (; exponent > 0; exponent /= 2, base *= base)
    if (exponent % 2) result *= base;
  return result;
}

template <class B, class E>
B power(B base, E exponent) {
  if constexpr (std::is_integral_v<B> && std::is_integral_v<E>) {
    return integer_power(base, exponent);
  } else if constexpr (std::is_integral_v<B>) {
    return static_cast<B>(std::pow(static_cast<double>(base), static_cast<double>(exponent)));
  } else {
    return std::pow(base, static_cast<B>(exponent));
  }
}

class Pow final : public Kernel {
 public:
  void run(KernelContext& ctx) const override {
    const Tensor& base = *ctx.input(0);
    const Tensor& exponent = *ctx.input(1);
    const Shape shape = broadcast_or_fail(ctx, base.shape(), exponent.shape());
    Tensor& out = ctx.output(0, base.dtype(), shape);
    bool exponent_supported = true;
    const bool base_supported = visit_dtype(base.dtype(), BaseTypes{}, [&](auto base_tag) {
      using B = typename decltype(base_tag)::type;
      exponent_supported = visit_dtype(exponent.dtype(), NumericTypes{}, [&](auto exponent_tag) {
        using E = typename decltype(exponent_tag)::type;
        broadcast_binary(base.data<B>(), base.shape(), exponent.data<E>(), exponent.shape(), out.data<B>(),
                         shape, [](B b, E e) {
                           return power(b, e);
                         }, kCostlyGrain);
      });
    });
    if (!base_supported) ctx.fail("base: " + unsupported_dtype_message(base.dtype()));
    if (!exponent_supported) ctx.fail("exponent: " + unsupported_dtype_message(exponent.dtype()));
  }
};

NP_REGISTER_KERNEL("Pow", 7, 1000, [](const KernelBuildContext&) -> std::unique_ptr<Kernel> {
  return std::make_unique<Pow>();
});

}  // namespace
}  // namespace neuropipe::nn::ops
