// Compress: keeps the slices along `axis` (or the elements of the flattened
// input, without axis) whose condition is true; a condition shorter than the
// axis drops the rest.
#include <cstring>

#include "nn/kernel.hpp"
#include "nn/ops/shape/axes.hpp"

namespace neuropipe::nn {
namespace {

class Compress final : public Kernel {
 public:
  explicit Compress(const KernelBuildContext& b)
      : has_axis_(b.attributes().has("axis")), axis_(b.attributes().get_int("axis", 0)) {}

  void run(KernelContext& ctx) const override {
    const Tensor& data = *ctx.input(0);
    const Tensor condition = ctx.input(1)->to(DType::boolean);
    if (data.dtype() == DType::string) ctx.fail("string tensors are not supported");
    if (condition.rank() != 1) ctx.fail("condition must be 1-D");
    const auto fail = [&](const std::string& m) { ctx.fail(m); };
    const Shape shape = has_axis_ ? data.shape() : Shape{data.numel()};
    const size_t axis = has_axis_ ? static_cast<size_t>(ops::normalize_axis(
                                        axis_, static_cast<int64_t>(shape.size()), "axis", fail))
                                  : 0;
    if (condition.numel() > shape[axis]) ctx.fail("condition is longer than the axis");
    std::vector<int64_t> kept;
    for (int64_t i = 0; i < condition.numel(); ++i) {
      if (condition.data<bool>()[i]) kept.push_back(i);
    }
    Shape out_shape = shape;
    out_shape[axis] = static_cast<int64_t>(kept.size());
    Tensor& out = ctx.output(0, data.dtype(), out_shape);
    const size_t block =
        static_cast<size_t>(ops::dims_product(shape, axis + 1, shape.size())) * dtype_size(data.dtype());
    const int64_t outer = ops::dims_product(shape, 0, axis);
    const auto* src = static_cast<const uint8_t*>(data.raw());
    auto* dst = static_cast<uint8_t*>(out.raw());
    for (int64_t o = 0; o < outer; ++o) {
      for (int64_t k : kept) {
        std::memcpy(dst, src + static_cast<size_t>(o * shape[axis] + k) * block, block);
        dst += block;
      }
    }
  }

 private:
  bool has_axis_;
  int64_t axis_;
};

NP_REGISTER_KERNEL("Compress", 9, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<Compress>(b); });

}  // namespace
}  // namespace neuropipe::nn
