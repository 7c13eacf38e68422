// Expand: broadcasts the input to a shape (numpy rules, either side may be 1),
// read through a view with stride 0 along broadcast dims.
#include "nn/kernel.hpp"
#include "nn/ops/common/broadcast.hpp"
#include "nn/ops/shape/element_width.hpp"
#include "nn/ops/shape/strided_copy.hpp"

namespace neuropipe::nn {
namespace {

class Expand final : public Kernel {
 public:
  explicit Expand(const KernelBuildContext&) {}

  void run(KernelContext& ctx) const override {
    const Tensor& data = *ctx.input(0);
    const std::vector<int64_t> requested = ctx.input(1)->to_int64_vector();
    const Shape out_shape = ops::broadcast_shape(data.shape(), Shape(requested.begin(), requested.end()));
    const ops::StridedView view{out_shape, ops::broadcast_strides(data.shape(), out_shape), 0};
    Tensor& out = ctx.output(0, data.dtype(), out_shape);
    if (!ops::strided_copy(out.raw(), data.raw(), view, data.dtype())) {
      ctx.fail(ops::unsupported_movement_message(data.dtype()));
    }
  }
};

NP_REGISTER_KERNEL("Expand", 8, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<Expand>(b); });

}  // namespace
}  // namespace neuropipe::nn
