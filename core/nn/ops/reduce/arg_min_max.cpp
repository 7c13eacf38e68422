// ArgMax / ArgMin along one axis (int64 indices). Ties go to the first index,
// or the last with select_last_index=1. Each output row of `inner` positions
// keeps its running best values, so the scan reads the input contiguously.
#include <memory>
#include <vector>

#include "nn/kernel.hpp"
#include "nn/ops/common/dtype_dispatch.hpp"
#include "nn/ops/common/parallel.hpp"
#include "nn/ops/reduce/reduce_geometry.hpp"

namespace neuropipe::nn::ops {
namespace {

template <bool kMax>
class ArgExtreme final : public Kernel {
 public:
  ArgExtreme(int64_t axis, bool keepdims, bool last) : axis_(axis), keepdims_(keepdims), last_(last) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    std::vector<int64_t> axes;
    try {
      axes = normalize_axes({axis_}, x.rank());
    } catch (const Error& e) {
      ctx.fail(e.what());
    }
    const AxisSplit split = split_at_axis(x.shape(), axes[0]);
    if (split.axis == 0 && split.outer * split.inner > 0) ctx.fail("cannot take the index of an empty axis");
    Tensor& y = ctx.output(0, DType::i64, reduced_shape(x.shape(), axes, keepdims_));
    const bool supported = visit_dtype(x.dtype(), NumericTypes{}, [&](auto tag) {
      using T = typename decltype(tag)::type;
      last_ ? scan<T, true>(x.data<T>(), y.data<int64_t>(), split) : scan<T, false>(x.data<T>(), y.data<int64_t>(), split);
    });
    if (!supported) ctx.fail(unsupported_dtype_message(x.dtype()));
  }

 private:
  template <class T, bool kLast>
  static bool better(T candidate, T best) {
    if constexpr (kMax) return kLast ? candidate >= best : candidate > best;
    else return kLast ? candidate <= best : candidate < best;
  }

  template <class T, bool kLast>
  static void scan(const T* x, int64_t* y, const AxisSplit& s) {
    parallel_chunks(s.outer, grain_for_cost(s.axis * s.inner), [&](int64_t begin, int64_t end) {
      std::vector<T> best(static_cast<size_t>(s.inner));
      for (int64_t o = begin; o < end; ++o) {
        const T* slab = x + o * s.axis * s.inner;
        int64_t* index = y + o * s.inner;
        for (int64_t i = 0; i < s.inner; ++i) {
          best[i] = slab[i];
          index[i] = 0;
        }
        for (int64_t a = 1; a < s.axis; ++a) {
          const T* row = slab + a * s.inner;
          for (int64_t i = 0; i < s.inner; ++i) {
            if (better<T, kLast>(row[i], best[i])) {
              best[i] = row[i];
              index[i] = a;
            }
          }
        }
      }
    });
  }

  int64_t axis_;
  bool keepdims_, last_;
};

template <bool kMax>
KernelFactory arg_factory() {
  return [](const KernelBuildContext& b) -> std::unique_ptr<Kernel> {
    const Attributes& a = b.attributes();
    return std::make_unique<ArgExtreme<kMax>>(a.get_int("axis", 0), a.get_int("keepdims", 1) != 0,
                                              a.get_int("select_last_index", 0) != 0);
  };
}

NP_REGISTER_KERNEL("ArgMax", 1, 1000, arg_factory<true>());
NP_REGISTER_KERNEL("ArgMin", 1, 1000, arg_factory<false>());

}  // namespace
}  // namespace neuropipe::nn::ops
