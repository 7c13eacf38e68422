// Split: cuts the input along one axis into consecutive parts. Part sizes
// come from the `split` attribute (before opset 13) or input (from 13); with
// neither, the axis is cut into equal parts, one per output (opset 18 names the
// count `num_outputs` and lets the last part be smaller).
#include <cstring>

#include "nn/kernel.hpp"
#include "nn/ops/common/parallel.hpp"
#include "nn/ops/shape/axes.hpp"

namespace neuropipe::nn {
namespace {

class Split final : public Kernel {
 public:
  explicit Split(const KernelBuildContext& b)
      : axis_(b.attributes().get_int("axis", 0)),
        split_attr_(b.attributes().get_ints("split")),
        num_outputs_(b.attributes().get_int("num_outputs", 0)) {
    if (num_outputs_ != 0 && num_outputs_ != static_cast<int64_t>(b.num_outputs())) {
      b.fail("num_outputs " + std::to_string(num_outputs_) + " differs from the node's " +
             std::to_string(b.num_outputs()) + " outputs");
    }
  }

  void run(KernelContext& ctx) const override {
    const Tensor& data = *ctx.input(0);
    if (data.dtype() == DType::string) ctx.fail("string tensors are not supported");
    const auto fail = [&](const std::string& m) { ctx.fail(m); };
    const size_t axis =
        static_cast<size_t>(ops::normalize_axis(axis_, static_cast<int64_t>(data.rank()), "axis", fail));
    const std::vector<int64_t> sizes = part_sizes(ctx, data.dim(axis));
    const int64_t outer = ops::dims_product(data.shape(), 0, axis);
    const int64_t inner = ops::dims_product(data.shape(), axis + 1, data.rank());
    const size_t width = dtype_size(data.dtype());
    int64_t start = 0;
    for (size_t i = 0; i < sizes.size(); ++i) {
      Shape shape = data.shape();
      shape[axis] = sizes[i];
      Tensor& out = ctx.output(i, data.dtype(), shape);
      const int64_t row = sizes[i] * inner, in_row = data.dim(axis) * inner;
      const auto* src = static_cast<const uint8_t*>(data.raw()) + start * inner * width;
      auto* dst = static_cast<uint8_t*>(out.raw());
      if (row > 0) {
        ops::parallel_chunks(outer, ops::grain_for_cost(row), [&](int64_t begin, int64_t end) {
          for (int64_t o = begin; o < end; ++o)
            std::memcpy(dst + o * row * width, src + o * in_row * width, row * width);
        });
      }
      start += sizes[i];
    }
  }

 private:
  std::vector<int64_t> part_sizes(const KernelContext& ctx, int64_t dim) const {
    const Tensor* split_input = ctx.num_inputs() > 1 ? ctx.input(1) : nullptr;
    std::vector<int64_t> sizes = split_input ? split_input->to_int64_vector() : split_attr_;
    const int64_t parts = static_cast<int64_t>(ctx.num_outputs());
    if (sizes.empty()) {
      // Equal parts; at opset 18 the last may be smaller, before it must divide evenly.
      const int64_t each = (dim + parts - 1) / parts;
      if (num_outputs_ == 0 && dim % parts != 0) {
        ctx.fail("axis of size " + std::to_string(dim) + " does not split into " + std::to_string(parts) +
                 " equal parts");
      }
      for (int64_t i = 0, left = dim; i < parts; ++i, left -= each)
        sizes.push_back(std::max<int64_t>(0, std::min(each, left)));
    }
    int64_t total = 0;
    for (int64_t s : sizes) {
      if (s < 0) ctx.fail("split has a negative size");
      total += s;
    }
    if (static_cast<int64_t>(sizes.size()) != parts || total != dim) {
      ctx.fail("split sizes (" + std::to_string(sizes.size()) + " parts, total " + std::to_string(total) +
               ") do not match " + std::to_string(parts) + " outputs over an axis of " + std::to_string(dim));
    }
    return sizes;
  }

  int64_t axis_;
  std::vector<int64_t> split_attr_;
  int64_t num_outputs_;
};

NP_REGISTER_KERNEL("Split", 1, 1000, [](const KernelBuildContext& b) { return std::make_unique<Split>(b); });

}  // namespace
}  // namespace neuropipe::nn
