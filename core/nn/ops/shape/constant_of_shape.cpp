// ConstantOfShape: a tensor of the given shape filled with the one-element
// `value` attribute (default float 0), in the value's type.
#include <cstring>

#include "nn/kernel.hpp"
#include "nn/ops/common/parallel.hpp"
#include "nn/ops/shape/element_width.hpp"

namespace neuropipe::nn {
namespace {

class ConstantOfShape final : public Kernel {
 public:
  explicit ConstantOfShape(const KernelBuildContext& b) : value_(Tensor::zeros(DType::f32, {1})) {
    if (const Tensor* v = b.attributes().get_tensor("value")) {
      if (v->numel() != 1) b.fail("attribute 'value' must hold exactly one element");
      if (v->dtype() == DType::string) b.fail("string values are not supported");
      value_ = v->clone();
    }
  }

  void run(KernelContext& ctx) const override {
    const std::vector<int64_t> dims = ctx.input(0)->to_int64_vector();
    for (int64_t d : dims) {
      if (d < 0) ctx.fail("shape has a negative dim " + std::to_string(d));
    }
    Tensor& out = ctx.output(0, value_.dtype(), Shape(dims.begin(), dims.end()));
    ops::visit_element_width(value_.dtype(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      T v;
      std::memcpy(&v, value_.raw(), sizeof(T));
      T* dst = out.data<T>();
      ops::parallel_chunks(out.numel(), ops::kCheapGrain,
                           [&](int64_t begin, int64_t end) { std::fill(dst + begin, dst + end, v); });
    });
  }

 private:
  Tensor value_;
};

NP_REGISTER_KERNEL("ConstantOfShape", 9, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<ConstantOfShape>(b); });

}  // namespace
}  // namespace neuropipe::nn
