// Sum, Mean, Max, Min over one or more broadcasting inputs: the first input
// is broadcast into the output, then every further input is folded into it
// in place (the output is read and written at the same index, so that is safe).
#include <algorithm>
#include <memory>
#include <vector>

#include "nn/ops/elementwise/binary.hpp"

namespace neuropipe::nn::ops {
namespace {

enum class Fold { sum, mean, max, min };

template <class Types, Fold fold>
class Variadic final : public Kernel {
 public:
  void run(KernelContext& ctx) const override {
    std::vector<const Tensor*> inputs;
    for (size_t i = 0; i < ctx.num_inputs(); ++i)
      if (const Tensor* t = ctx.input(i)) inputs.push_back(t);
    if (inputs.empty()) ctx.fail("needs at least one input");
    Shape shape;
    for (const Tensor* t : inputs) {
      if (t->dtype() != inputs[0]->dtype()) ctx.fail("inputs have different element types");
      shape = broadcast_or_fail(ctx, shape, t->shape());
    }
    Tensor& out = ctx.output(0, inputs[0]->dtype(), shape);
    const bool supported = visit_dtype(out.dtype(), Types{}, [&](auto tag) {
      using T = typename decltype(tag)::type;
      fold_into<T>(inputs, out.data<T>(), shape);
    });
    if (!supported) ctx.fail(unsupported_dtype_message(out.dtype()));
  }

 private:
  template <class T>
  static void fold_into(const std::vector<const Tensor*>& inputs, T* out, const Shape& shape) {
    broadcast_copy(inputs[0]->data<T>(), inputs[0]->shape(), out, shape);
    for (size_t i = 1; i < inputs.size(); ++i) {
      broadcast_binary(out, shape, inputs[i]->data<T>(), inputs[i]->shape(), out, shape, [](T a, T b) {
        return static_cast<T>(combine(a, b));
      });
    }
    if constexpr (fold == Fold::mean) {
      const T count = static_cast<T>(inputs.size());
      const int64_t n = shape_numel(shape);
      parallel_chunks(n, kCheapGrain, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) out[i] /= count;
      });
    }
  }

  template <class T>
  static T combine(T a, T b) {
    if constexpr (fold == Fold::max) return std::max(a, b);
    if constexpr (fold == Fold::min) return std::min(a, b);
    return a + b;
  }
};

template <class Types, Fold fold>
KernelFactory variadic_factory() {
  return [](const KernelBuildContext&) -> std::unique_ptr<Kernel> {
    return std::make_unique<Variadic<Types, fold>>();
  };
}

NP_REGISTER_KERNEL("Sum", 6, 1000, (variadic_factory<FloatTypes, Fold::sum>()));
NP_REGISTER_KERNEL("Mean", 6, 1000, (variadic_factory<FloatTypes, Fold::mean>()));
NP_REGISTER_KERNEL("Max", 6, 1000, (variadic_factory<NumericTypes, Fold::max>()));
NP_REGISTER_KERNEL("Min", 6, 1000, (variadic_factory<NumericTypes, Fold::min>()));

}  // namespace
}  // namespace neuropipe::nn::ops
