// TopK: the k largest (or smallest) values along an axis and their indices.
// k is an attribute before opset 10 and an input from 10; opset 11 adds
// `largest` and `sorted`. Equal values keep the lower index first, so results
// are deterministic (and sorted even when `sorted` = 0, which ONNX allows).
#include <algorithm>
#include <vector>

#include "nn/kernel.hpp"
#include "nn/ops/common/dtype_dispatch.hpp"
#include "nn/ops/common/parallel.hpp"
#include "nn/ops/shape/axes.hpp"

namespace neuropipe::nn {
namespace {

class TopK final : public Kernel {
 public:
  explicit TopK(const KernelBuildContext& b)
      : axis_(b.attributes().get_int("axis", -1)),
        k_attr_(b.attributes().get_int("k", -1)),
        largest_(b.attributes().get_int("largest", 1) != 0) {
    if (b.opset() < 10 && k_attr_ < 0) b.fail("attribute 'k' is required before opset 10");
  }

  void run(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const auto fail = [&](const std::string& m) { ctx.fail(m); };
    const size_t axis =
        static_cast<size_t>(ops::normalize_axis(axis_, static_cast<int64_t>(x.rank()), "axis", fail));
    const int64_t k = requested_k(ctx);
    const int64_t n = x.dim(axis);
    if (k < 0 || k > n)
      ctx.fail("k = " + std::to_string(k) + " is out of range for an axis of " + std::to_string(n));
    Shape out_shape = x.shape();
    out_shape[axis] = k;
    Tensor& values = ctx.output(0, x.dtype(), out_shape);
    Tensor& indices = ctx.output(1, DType::i64, out_shape);
    const int64_t outer = ops::dims_product(x.shape(), 0, axis);
    const int64_t inner = ops::dims_product(x.shape(), axis + 1, x.rank());
    const bool ok = ops::visit_dtype(x.dtype(), ops::NumericTypes{}, [&](auto tag) {
      using T = typename decltype(tag)::type;
      select<T>(x.data<T>(), values.data<T>(), indices.data<int64_t>(), outer, n, inner, k);
    });
    if (!ok) ctx.fail(ops::unsupported_dtype_message(x.dtype()));
  }

 private:
  int64_t requested_k(const KernelContext& ctx) const {
    if (ctx.num_inputs() < 2 || !ctx.input(1)) return k_attr_;
    const std::vector<int64_t> k = ctx.input(1)->to_int64_vector();
    if (k.size() != 1) ctx.fail("input K must hold one value");
    return k[0];
  }

  // Each (outer, inner) pair is an independent line of n values, `inner` apart.
  template <class T>
  void select(const T* x, T* values, int64_t* indices, int64_t outer, int64_t n, int64_t inner,
              int64_t k) const {
    const auto before = [&](const std::pair<T, int64_t>& a, const std::pair<T, int64_t>& b) {
      if (a.first != b.first) return largest_ ? a.first > b.first : a.first < b.first;
      return a.second < b.second;
    };
    ops::parallel_chunks(outer * inner, ops::grain_for_cost(n * 4), [&](int64_t begin, int64_t end) {
      std::vector<std::pair<T, int64_t>> line(static_cast<size_t>(n));
      for (int64_t l = begin; l < end; ++l) {
        const int64_t base = (l / inner) * n * inner + l % inner;
        for (int64_t i = 0; i < n; ++i) line[static_cast<size_t>(i)] = {x[base + i * inner], i};
        std::partial_sort(line.begin(), line.begin() + k, line.end(), before);
        const int64_t out_base = (l / inner) * k * inner + l % inner;
        for (int64_t i = 0; i < k; ++i) {
          values[out_base + i * inner] = line[static_cast<size_t>(i)].first;
          indices[out_base + i * inner] = line[static_cast<size_t>(i)].second;
        }
      }
    });
  }

  int64_t axis_, k_attr_;
  bool largest_;
};

NP_REGISTER_KERNEL("TopK", 1, 1000, [](const KernelBuildContext& b) { return std::make_unique<TopK>(b); });

}  // namespace
}  // namespace neuropipe::nn
