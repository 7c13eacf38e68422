// Clip: bounds are attributes before opset 11 and optional scalar inputs from
// opset 11 on (read per run, since they need not be constants). A missing
// bound leaves that side open.
#include <algorithm>
#include <limits>
#include <memory>

#include "nn/ops/elementwise/unary.hpp"

namespace neuropipe::nn::ops {
namespace {

// Bounds from attributes (opset 6-10, float types only).
class ClipAttributes final : public Kernel {
 public:
  ClipAttributes(float min, float max) : min_(min), max_(max) {}
  void run(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    Tensor& y = ctx.output(0, x.dtype(), x.shape());
    const bool supported = visit_dtype(x.dtype(), FloatTypes{}, [&](auto tag) {
      using T = typename decltype(tag)::type;
      const T lo = static_cast<T>(min_), hi = static_cast<T>(max_);
      map_unary(x.data<T>(), y.data<T>(), x.numel(), [lo, hi](T v) { return std::min(std::max(v, lo), hi); },
                kCheapGrain);
    });
    if (!supported) ctx.fail(unsupported_dtype_message(x.dtype()));
  }

 private:
  float min_, max_;
};

// Bounds from inputs 1 and 2 (opset 11+, every numeric type).
class ClipInputs final : public Kernel {
 public:
  void run(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    Tensor& y = ctx.output(0, x.dtype(), x.shape());
    const bool supported = visit_dtype(x.dtype(), NumericTypes{}, [&](auto tag) {
      using T = typename decltype(tag)::type;
      const T lo = bound<T>(ctx, 1, std::numeric_limits<T>::lowest());
      const T hi = bound<T>(ctx, 2, std::numeric_limits<T>::max());
      map_unary(x.data<T>(), y.data<T>(), x.numel(), [lo, hi](T v) { return std::min(std::max(v, lo), hi); },
                kCheapGrain);
    });
    if (!supported) ctx.fail(unsupported_dtype_message(x.dtype()));
  }

 private:
  template <class T>
  static T bound(const KernelContext& ctx, size_t index, T open) {
    const Tensor* t = index < ctx.num_inputs() ? ctx.input(index) : nullptr;
    if (!t) return open;
    const char* name = index == 1 ? "min" : "max";
    if (t->numel() != 1) ctx.fail(std::string(name) + " must be a scalar, got shape " + shape_to_string(t->shape()));
    if (t->dtype() != dtype_of<T>()) ctx.fail(std::string(name) + " has a different element type than input");
    return t->data<T>()[0];
  }
};

NP_REGISTER_KERNEL("Clip", 6, 10, [](const KernelBuildContext& b) -> std::unique_ptr<Kernel> {
  const float min = b.attributes().get_float("min", std::numeric_limits<float>::lowest());
  const float max = b.attributes().get_float("max", std::numeric_limits<float>::max());
  return std::make_unique<ClipAttributes>(min, max);
});

NP_REGISTER_KERNEL("Clip", 11, 1000, [](const KernelBuildContext&) -> std::unique_ptr<Kernel> {
  return std::make_unique<ClipInputs>();
});

}  // namespace
}  // namespace neuropipe::nn::ops
