// Concat: joins inputs along one axis. Seen as [outer, axis * inner], each
// input contributes one contiguous block per outer index, so the copy is a
// memcpy per (outer index, input), parallel over outer indices.
#include <cstring>

#include "nn/kernel.hpp"
#include "nn/ops/common/parallel.hpp"
#include "nn/ops/shape/axes.hpp"

namespace neuropipe::nn {
namespace {

class Concat final : public Kernel {
 public:
  explicit Concat(const KernelBuildContext& b) : axis_(b.attributes().get_int("axis", 1)) {
    if (b.opset() >= 4 && !b.attributes().has("axis")) b.fail("attribute 'axis' is required");
  }

  void run(KernelContext& ctx) const override {
    std::vector<const Tensor*> parts;
    for (size_t i = 0; i < ctx.num_inputs(); ++i) {
      if (ctx.input(i)) parts.push_back(ctx.input(i));
    }
    if (parts.empty()) ctx.fail("needs at least one input");
    const Tensor& first = *parts.front();
    const auto fail = [&](const std::string& m) { ctx.fail(m); };
    const size_t axis =
        static_cast<size_t>(ops::normalize_axis(axis_, static_cast<int64_t>(first.rank()), "axis", fail));
    Shape out_shape = first.shape();
    out_shape[axis] = 0;
    for (const Tensor* t : parts) {
      check_compatible(ctx, first, *t, axis);
      out_shape[axis] += t->dim(axis);
    }
    Tensor& out = ctx.output(0, first.dtype(), out_shape);
    if (first.dtype() == DType::string) ctx.fail("string tensors are not supported");
    copy_parts(parts, out, axis);
  }

 private:
  static void check_compatible(const KernelContext& ctx, const Tensor& a, const Tensor& b, size_t axis) {
    bool same = a.rank() == b.rank() && a.dtype() == b.dtype();
    for (size_t d = 0; same && d < a.rank(); ++d) same = d == axis || a.dim(d) == b.dim(d);
    if (!same) {
      ctx.fail("inputs " + shape_to_string(a.shape()) + " and " + shape_to_string(b.shape()) +
               " differ outside axis " + std::to_string(axis) + " (or in type)");
    }
  }

  static void copy_parts(const std::vector<const Tensor*>& parts, Tensor& out, size_t axis) {
    const size_t width = dtype_size(out.dtype());
    const int64_t outer = ops::dims_product(out.shape(), 0, axis);
    const int64_t out_row = out.numel() / std::max<int64_t>(outer, 1);
    if (outer == 0 || out_row == 0) return;
    auto* dst = static_cast<uint8_t*>(out.raw());
    ops::parallel_chunks(outer, ops::grain_for_cost(out_row), [&](int64_t begin, int64_t end) {
      for (int64_t o = begin; o < end; ++o) {
        int64_t at = o * out_row;
        for (const Tensor* t : parts) {
          const int64_t row = t->numel() / outer;
          std::memcpy(dst + at * width, static_cast<const uint8_t*>(t->raw()) + o * row * width, row * width);
          at += row;
        }
      }
    });
  }

  int64_t axis_;
};

NP_REGISTER_KERNEL("Concat", 1, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<Concat>(b); });

}  // namespace
}  // namespace neuropipe::nn
