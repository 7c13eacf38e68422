// OneHot: inserts a `depth`-long axis where position indices[i] holds
// values[1] and every other position values[0]. Negative indices count from
// the end of the depth; indices outside [-depth, depth) give all-off rows.
#include <cmath>
#include <cstring>

#include "nn/kernel.hpp"
#include "nn/ops/shape/axes.hpp"
#include "nn/ops/shape/element_width.hpp"

namespace neuropipe::nn {
namespace {

class OneHot final : public Kernel {
 public:
  explicit OneHot(const KernelBuildContext& b) : axis_(b.attributes().get_int("axis", -1)) {}

  void run(KernelContext& ctx) const override {
    const Tensor& indices = *ctx.input(0);
    const Tensor& values = *ctx.input(2);
    if (ctx.input(1)->numel() != 1) ctx.fail("depth must hold one value");
    if (values.numel() != 2) ctx.fail("values must hold [off, on]");
    const int64_t depth = static_cast<int64_t>(std::llround(ctx.input(1)->to(DType::f64).data<double>()[0]));
    if (depth <= 0) ctx.fail("depth must be positive");
    const auto fail = [&](const std::string& m) { ctx.fail(m); };
    const int64_t out_rank = static_cast<int64_t>(indices.rank()) + 1;
    const size_t axis = static_cast<size_t>(ops::normalize_axis(axis_, out_rank, "axis", fail));
    Shape out_shape = indices.shape();
    out_shape.insert(out_shape.begin() + static_cast<int64_t>(axis), depth);
    Tensor& out = ctx.output(0, values.dtype(), out_shape);
    const std::vector<int64_t> idx = index_values(indices);
    const int64_t inner = ops::dims_product(indices.shape(), axis, indices.rank());
    const bool ok = ops::visit_element_width(values.dtype(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      const T off = values.data<T>()[0], on = values.data<T>()[1];
      T* o = out.data<T>();
      std::fill(o, o + out.numel(), off);
      for (size_t i = 0; i < idx.size(); ++i) {
        int64_t k = idx[i];
        if (k < -depth || k >= depth) continue;
        if (k < 0) k += depth;
        const int64_t outer = static_cast<int64_t>(i) / inner, in = static_cast<int64_t>(i) % inner;
        o[(outer * depth + k) * inner + in] = on;
      }
    });
    if (!ok) ctx.fail(ops::unsupported_movement_message(values.dtype()));
  }

 private:
  // Indices of any numeric type, truncated towards zero as ONNX casts them.
  static std::vector<int64_t> index_values(const Tensor& indices) {
    const Tensor as_double = indices.to(DType::f64);
    std::vector<int64_t> out;
    for (double v : as_double.span<double>()) out.push_back(static_cast<int64_t>(v));
    return out;
  }

  int64_t axis_;
};

NP_REGISTER_KERNEL("OneHot", 9, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<OneHot>(b); });

}  // namespace
}  // namespace neuropipe::nn
