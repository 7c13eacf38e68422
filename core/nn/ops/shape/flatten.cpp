// Flatten: a 2-D view [prod(dims before axis), prod(dims from axis)], no copy.
#include "nn/kernel.hpp"
#include "nn/ops/shape/axes.hpp"

namespace neuropipe::nn {
namespace {

class Flatten final : public Kernel {
 public:
  explicit Flatten(const KernelBuildContext& b) : axis_(b.attributes().get_int("axis", 1)) {}

  void run(KernelContext& ctx) const override {
    const Tensor& data = *ctx.input(0);
    const int64_t rank = static_cast<int64_t>(data.rank());
    // axis may equal rank here (everything goes into the outer dim).
    if (axis_ < -rank || axis_ > rank) {
      ctx.fail("axis " + std::to_string(axis_) + " is out of range for rank " + std::to_string(rank));
    }
    const size_t axis = static_cast<size_t>(axis_ < 0 ? axis_ + rank : axis_);
    const Shape out{ops::dims_product(data.shape(), 0, axis),
                    ops::dims_product(data.shape(), axis, data.rank())};
    ctx.output_alias(0, data.reshaped(out));
  }

 private:
  int64_t axis_;
};

NP_REGISTER_KERNEL("Flatten", 1, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<Flatten>(b); });

}  // namespace
}  // namespace neuropipe::nn
