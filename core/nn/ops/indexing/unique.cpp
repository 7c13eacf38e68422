// Unique: the distinct elements (or, with `axis`, distinct slices along it)
// of the input, sorted ascending (`sorted` = 1, slices lexicographically) or
// in order of first appearance, plus each one's first index, the inverse
// mapping from input positions to outputs, and the counts.
#include <algorithm>
#include <cstring>
#include <numeric>

#include "nn/kernel.hpp"
#include "nn/ops/common/dtype_dispatch.hpp"
#include "nn/ops/shape/axes.hpp"

namespace neuropipe::nn {
namespace {

// The input seen as `items` slices of `outer` x `inner` elements along the axis.
struct ItemLayout {
  int64_t outer = 1, items = 1, inner = 1;
  int64_t element(int64_t item, int64_t k) const { return ((k / inner) * items + item) * inner + k % inner; }
  int64_t slice() const { return outer * inner; }
};

struct Groups {
  std::vector<int64_t> first;    // per output: first input item
  std::vector<int64_t> count;    // per output: how many input items
  std::vector<int64_t> inverse;  // per input item: its output
};

template <class T>
Groups group_items(const T* x, const ItemLayout& l, bool sorted) {
  const auto less = [&](int64_t a, int64_t b) {
    for (int64_t k = 0; k < l.slice(); ++k) {
      const T va = x[l.element(a, k)], vb = x[l.element(b, k)];
      if (va != vb) return va < vb;
    }
    return false;
  };
  std::vector<int64_t> order(static_cast<size_t>(l.items));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), less);
  Groups g;
  std::vector<int64_t> group_of(order.size());
  for (size_t i = 0; i < order.size(); ++i) {
    if (i == 0 || less(order[i - 1], order[i])) {
      g.first.push_back(order[i]);
      g.count.push_back(0);
    }
    group_of[static_cast<size_t>(order[i])] = static_cast<int64_t>(g.first.size()) - 1;
    ++g.count.back();
  }
  std::vector<int64_t> rank(g.first.size());  // output position of each sorted group
  std::iota(rank.begin(), rank.end(), 0);
  if (!sorted) {
    std::vector<int64_t> by_first(g.first.size());
    std::iota(by_first.begin(), by_first.end(), 0);
    std::sort(by_first.begin(), by_first.end(),
              [&](int64_t a, int64_t b) { return g.first[a] < g.first[b]; });
    Groups reordered{std::vector<int64_t>(g.first.size()), std::vector<int64_t>(g.first.size()), {}};
    for (size_t pos = 0; pos < by_first.size(); ++pos) {
      rank[static_cast<size_t>(by_first[pos])] = static_cast<int64_t>(pos);
      reordered.first[pos] = g.first[static_cast<size_t>(by_first[pos])];
      reordered.count[pos] = g.count[static_cast<size_t>(by_first[pos])];
    }
    g.first = std::move(reordered.first);
    g.count = std::move(reordered.count);
  }
  for (int64_t grp : group_of) g.inverse.push_back(rank[static_cast<size_t>(grp)]);
  return g;
}

class Unique final : public Kernel {
 public:
  explicit Unique(const KernelBuildContext& b)
      : has_axis_(b.attributes().has("axis")),
        axis_(b.attributes().get_int("axis", 0)),
        sorted_(b.attributes().get_int("sorted", 1) != 0) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const auto fail = [&](const std::string& m) { ctx.fail(m); };
    ItemLayout layout{1, x.numel(), 1};
    size_t axis = 0;
    if (has_axis_) {
      axis = static_cast<size_t>(ops::normalize_axis(axis_, static_cast<int64_t>(x.rank()), "axis", fail));
      layout = {ops::dims_product(x.shape(), 0, axis), x.dim(axis),
                ops::dims_product(x.shape(), axis + 1, x.rank())};
    }
    Groups groups;
    const bool ok = ops::visit_dtype(x.dtype(), ops::AllTypes{}, [&](auto tag) {
      using T = typename decltype(tag)::type;
      groups = group_items(x.data<T>(), layout, sorted_);
      write_values(ctx, x.data<T>(), layout, axis, x.shape(), groups);
    });
    if (!ok) ctx.fail(ops::unsupported_dtype_message(x.dtype()));
    const std::vector<int64_t>* extras[] = {&groups.first, &groups.inverse, &groups.count};
    for (size_t i = 1; i < ctx.num_outputs() && i <= 3; ++i) {
      const std::vector<int64_t>& v = *extras[i - 1];
      Tensor& out = ctx.output(i, DType::i64, {static_cast<int64_t>(v.size())});
      std::copy(v.begin(), v.end(), out.data<int64_t>());
    }
  }

 private:
  template <class T>
  void write_values(KernelContext& ctx, const T* x, const ItemLayout& l, size_t axis, const Shape& in_shape,
                    const Groups& g) const {
    const int64_t n = static_cast<int64_t>(g.first.size());
    Shape shape = has_axis_ ? in_shape : Shape{n};
    shape[axis] = n;
    T* y = ctx.output(0, dtype_of<T>(), shape).template data<T>();
    const ItemLayout out_layout{l.outer, n, l.inner};
    for (int64_t u = 0; u < n; ++u) {
      for (int64_t k = 0; k < l.slice(); ++k)
        y[out_layout.element(u, k)] = x[l.element(g.first[static_cast<size_t>(u)], k)];
    }
  }

  bool has_axis_;
  int64_t axis_;
  bool sorted_;
};

NP_REGISTER_KERNEL("Unique", 11, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<Unique>(b); });

}  // namespace
}  // namespace neuropipe::nn
