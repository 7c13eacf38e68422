// Shape: the input's dims as an int64 vector; opset 15 adds a [start, end)
// window over the dims (clamped, negative counting from the end).
#include <algorithm>

#include "nn/kernel.hpp"

namespace neuropipe::nn {
namespace {

class ShapeOp final : public Kernel {
 public:
  explicit ShapeOp(const KernelBuildContext& b)
      : start_(b.attributes().get_int("start", 0)), end_(b.attributes().get_int("end", INT64_MAX)) {}

  void run(KernelContext& ctx) const override {
    const Shape& dims = ctx.input(0)->shape();
    const int64_t rank = static_cast<int64_t>(dims.size());
    const auto clamp = [&](int64_t v) { return std::clamp<int64_t>(v < 0 ? v + rank : v, 0, rank); };
    const int64_t begin = clamp(start_), end = std::max(begin, clamp(end_));
    Tensor& out = ctx.output(0, DType::i64, {end - begin});
    std::copy(dims.begin() + begin, dims.begin() + end, out.data<int64_t>());
  }

 private:
  int64_t start_, end_;
};

NP_REGISTER_KERNEL("Shape", 1, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<ShapeOp>(b); });

}  // namespace
}  // namespace neuropipe::nn
