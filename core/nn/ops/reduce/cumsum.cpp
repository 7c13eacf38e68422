// CumSum along the axis given by input 1; `exclusive` leaves each element out
// of its own sum, `reverse` sums from the end. Rows of `inner` elements are
// accumulated together so the loop reads contiguous memory.
#include <algorithm>
#include <memory>
#include <vector>

#include "nn/kernel.hpp"
#include "nn/ops/common/dtype_dispatch.hpp"
#include "nn/ops/common/parallel.hpp"
#include "nn/ops/reduce/reduce_geometry.hpp"

namespace neuropipe::nn::ops {
namespace {

using CumSumTypes = TypeList<float, double, int32_t, int64_t, uint32_t, uint64_t>;

class CumSum final : public Kernel {
 public:
  CumSum(bool exclusive, bool reverse) : exclusive_(exclusive), reverse_(reverse) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const Tensor* axis_tensor = ctx.input(1);
    if (!axis_tensor || axis_tensor->numel() != 1) ctx.fail("axis must be a tensor with one element");
    if (axis_tensor->dtype() != DType::i32 && axis_tensor->dtype() != DType::i64)
      ctx.fail("axis must be int32 or int64");
    int64_t axis = 0;
    try {
      axis = normalize_axes(axis_tensor->to_int64_vector(), x.rank()).at(0);
    } catch (const Error& e) {
      ctx.fail(e.what());
    }
    Tensor& y = ctx.output(0, x.dtype(), x.shape());
    const AxisSplit split = split_at_axis(x.shape(), axis);
    const bool supported = visit_dtype(x.dtype(), CumSumTypes{}, [&](auto tag) {
      using T = typename decltype(tag)::type;
      accumulate(x.data<T>(), y.data<T>(), split);
    });
    if (!supported) ctx.fail(unsupported_dtype_message(x.dtype()));
  }

 private:
  template <class T>
  void accumulate(const T* x, T* y, const AxisSplit& s) const {
    parallel_chunks(s.outer, grain_for_cost(s.axis * s.inner), [&](int64_t begin, int64_t end) {
      std::vector<T> sum(static_cast<size_t>(s.inner));
      for (int64_t o = begin; o < end; ++o) {
        std::fill(sum.begin(), sum.end(), T(0));
        for (int64_t step = 0; step < s.axis; ++step) {
          const int64_t a = reverse_ ? s.axis - 1 - step : step;
          const int64_t offset = (o * s.axis + a) * s.inner;
          const T* in = x + offset;
          T* out = y + offset;
          if (exclusive_) {
            for (int64_t i = 0; i < s.inner; ++i) {
              out[i] = sum[i];
              sum[i] += in[i];
            }
          } else {
            for (int64_t i = 0; i < s.inner; ++i) out[i] = sum[i] += in[i];
          }
        }
      }
    });
  }

  bool exclusive_, reverse_;
};

NP_REGISTER_KERNEL("CumSum", 11, 1000, [](const KernelBuildContext& b) -> std::unique_ptr<Kernel> {
  return std::make_unique<CumSum>(b.attributes().get_int("exclusive", 0) != 0,
                                  b.attributes().get_int("reverse", 0) != 0);
});

}  // namespace
}  // namespace neuropipe::nn::ops
