// The ReduceXxx family. Each op is a Reducer: an accumulator, how one element
// is folded into it and how it becomes the output value; one templated loop
// per ReduceGeometry layout runs them all. Axes come from the attribute (old
// opsets) or from input 1 (ReduceSum >= 13, the others >= 18).
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

#include "nn/kernel.hpp"
#include "nn/ops/common/dtype_dispatch.hpp"
#include "nn/ops/common/parallel.hpp"
#include "nn/ops/reduce/reduce_geometry.hpp"

namespace neuropipe::nn::ops {
namespace {

template <class T>
constexpr T lowest() {
  return std::numeric_limits<T>::has_infinity ? -std::numeric_limits<T>::infinity()
                                              : std::numeric_limits<T>::lowest();
}
template <class T>
constexpr T highest() {
  return std::numeric_limits<T>::has_infinity ? std::numeric_limits<T>::infinity()
                                              : std::numeric_limits<T>::max();
}

// Reducers: Acc init(); Acc step(Acc, T); T finish(Acc, int64_t count).
template <class T>
struct SumOf {
  using Acc = T;
  static Acc init() { return T(0); }
  static Acc step(Acc a, T x) { return a + x; }
  static T finish(Acc a, int64_t) { return a; }
};
template <class T>
struct MeanOf : SumOf<T> {
  static T finish(T a, int64_t n) { return static_cast<T>(a / static_cast<T>(n)); }
};
template <class T>
struct ProdOf {
  using Acc = T;
  static Acc init() { return T(1); }
  static Acc step(Acc a, T x) { return a * x; }
  static T finish(Acc a, int64_t) { return a; }
};
template <class T>
struct MaxOf {
  using Acc = T;
  static Acc init() { return lowest<T>(); }
  static Acc step(Acc a, T x) { return std::max(a, x); }
  static T finish(Acc a, int64_t) { return a; }
};
template <class T>
struct MinOf {
  using Acc = T;
  static Acc init() { return highest<T>(); }
  static Acc step(Acc a, T x) { return std::min(a, x); }
  static T finish(Acc a, int64_t) { return a; }
};
template <class T>
struct L1Of : SumOf<T> {
  static T step(T a, T x) {
    if constexpr (std::is_unsigned_v<T>) return a + x;
    else return a + (x < T(0) ? T(-x) : x);
  }
};
template <class T>
struct SumSquareOf : SumOf<T> {
  static T step(T a, T x) { return a + x * x; }
};
template <class T>
struct L2Of : SumSquareOf<T> {
  static T finish(T a, int64_t) { return static_cast<T>(std::sqrt(a)); }
};
template <class T>
struct LogSumOf : SumOf<T> {
  static T finish(T a, int64_t) { return static_cast<T>(std::log(a)); }
};
// log(sum(exp(x))), kept stable by tracking the running maximum m and sum(exp(x - m)).
template <class T>
struct LogSumExpOf {
  struct Acc {
    double max, sum;
  };
  static Acc init() { return {-std::numeric_limits<double>::infinity(), 0.0}; }
  static Acc step(Acc a, T x) {
    const auto v = static_cast<double>(x);
    if (v <= a.max) return {a.max, a.sum + std::exp(v - a.max)};
    return {v, a.sum * std::exp(a.max - v) + 1.0};
  }
  static T finish(Acc a, int64_t) { return static_cast<T>(a.max + std::log(a.sum)); }
};

template <class R, class T>
void reduce_trailing(const T* x, T* y, const ReduceGeometry& g) {
  const int64_t n = g.reduced;
  parallel_chunks(g.outer, grain_for_cost(n), [&](int64_t begin, int64_t end) {
    for (int64_t o = begin; o < end; ++o) {
      const T* row = x + o * n;
      typename R::Acc acc = R::init();
      for (int64_t i = 0; i < n; ++i) acc = R::step(acc, row[i]);
      y[o] = R::finish(acc, n);
    }
  });
}

// Rows of `inner` outputs are accumulated a block at a time, so the inner loop
// runs over contiguous memory and vectorises.
template <class R, class T>
void reduce_middle(const T* x, T* y, const ReduceGeometry& g) {
  constexpr int64_t kBlock = 256;
  const int64_t blocks = (g.inner + kBlock - 1) / kBlock;
  parallel_chunks(g.outer * blocks, grain_for_cost(g.reduced * kBlock), [&](int64_t begin, int64_t end) {
    std::array<typename R::Acc, kBlock> acc;
    for (int64_t task = begin; task < end; ++task) {
      const int64_t o = task / blocks, first = (task % blocks) * kBlock;
      const int64_t width = std::min(kBlock, g.inner - first);
      std::fill_n(acc.begin(), width, R::init());
      for (int64_t r = 0; r < g.reduced; ++r) {
        const T* row = x + (o * g.reduced + r) * g.inner + first;
        for (int64_t i = 0; i < width; ++i) acc[i] = R::step(acc[i], row[i]);
      }
      T* out = y + o * g.inner + first;
      for (int64_t i = 0; i < width; ++i) out[i] = R::finish(acc[i], g.reduced);
    }
  });
}

template <class R, class T>
void reduce_general(const T* x, T* y, const ReduceGeometry& g) {
  const int64_t n = static_cast<int64_t>(g.reduced_offsets.size());
  parallel_chunks(g.outer, grain_for_cost(n), [&](int64_t begin, int64_t end) {
    for (int64_t o = begin; o < end; ++o) {
      const T* base = x + g.base_offset(o);
      typename R::Acc acc = R::init();
      for (int64_t offset : g.reduced_offsets) acc = R::step(acc, base[offset]);
      y[o] = R::finish(acc, n);
    }
  });
}

template <template <class> class Reducer>
class Reduce final : public Kernel {
 public:
  Reduce(std::optional<std::vector<int64_t>> attribute_axes, bool keepdims, bool noop_with_empty_axes)
      : attribute_axes_(std::move(attribute_axes)), keepdims_(keepdims), noop_(noop_with_empty_axes) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    std::vector<int64_t> axes = requested_axes(ctx);
    if (axes.empty()) {
      if (noop_) return ctx.output_alias(0, x);
      for (size_t d = 0; d < x.rank(); ++d) axes.push_back(static_cast<int64_t>(d));
    }
    try {
      axes = normalize_axes(std::move(axes), x.rank());
    } catch (const Error& e) {
      ctx.fail(e.what());
    }
    Tensor& y = ctx.output(0, x.dtype(), reduced_shape(x.shape(), axes, keepdims_));
    const ReduceGeometry geometry(x.shape(), axes);
    const bool supported = visit_dtype(x.dtype(), NumericTypes{}, [&](auto tag) {
      using T = typename decltype(tag)::type;
      using R = Reducer<T>;
      switch (geometry.layout) {
        case ReduceGeometry::Layout::trailing: return reduce_trailing<R>(x.data<T>(), y.data<T>(), geometry);
        case ReduceGeometry::Layout::middle: return reduce_middle<R>(x.data<T>(), y.data<T>(), geometry);
        case ReduceGeometry::Layout::general: return reduce_general<R>(x.data<T>(), y.data<T>(), geometry);
      }
    });
    if (!supported) ctx.fail(unsupported_dtype_message(x.dtype()));
  }

 private:
  std::vector<int64_t> requested_axes(const KernelContext& ctx) const {
    if (attribute_axes_) return *attribute_axes_;
    const Tensor* axes = ctx.num_inputs() > 1 ? ctx.input(1) : nullptr;
    if (!axes) return {};
    if (axes->dtype() != DType::i64) ctx.fail("axes must be int64");
    return axes->to_int64_vector();
  }

  std::optional<std::vector<int64_t>> attribute_axes_;  // nullopt: axes come from input 1
  bool keepdims_, noop_;
};

// `axes_input_since`: the first opset that takes axes as an input instead of an attribute.
template <template <class> class Reducer>
KernelFactory reduce_factory(int axes_input_since) {
  return [axes_input_since](const KernelBuildContext& b) -> std::unique_ptr<Kernel> {
    const Attributes& a = b.attributes();
    std::optional<std::vector<int64_t>> axes;
    if (b.opset() < axes_input_since) axes = a.get_ints("axes");
    return std::make_unique<Reduce<Reducer>>(axes, a.get_int("keepdims", 1) != 0,
                                             a.get_int("noop_with_empty_axes", 0) != 0);
  };
}

NP_REGISTER_KERNEL("ReduceSum", 1, 1000, reduce_factory<SumOf>(13));
NP_REGISTER_KERNEL("ReduceMean", 1, 1000, reduce_factory<MeanOf>(18));
NP_REGISTER_KERNEL("ReduceProd", 1, 1000, reduce_factory<ProdOf>(18));
NP_REGISTER_KERNEL("ReduceMax", 1, 1000, reduce_factory<MaxOf>(18));
NP_REGISTER_KERNEL("ReduceMin", 1, 1000, reduce_factory<MinOf>(18));
NP_REGISTER_KERNEL("ReduceL1", 1, 1000, reduce_factory<L1Of>(18));
NP_REGISTER_KERNEL("ReduceL2", 1, 1000, reduce_factory<L2Of>(18));
NP_REGISTER_KERNEL("ReduceSumSquare", 1, 1000, reduce_factory<SumSquareOf>(18));
NP_REGISTER_KERNEL("ReduceLogSum", 1, 1000, reduce_factory<LogSumOf>(18));
NP_REGISTER_KERNEL("ReduceLogSumExp", 1, 1000, reduce_factory<LogSumExpOf>(18));

}  // namespace
}  // namespace neuropipe::nn::ops
