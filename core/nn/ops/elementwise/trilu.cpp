// Trilu: keeps the upper (upper=1) or lower triangle of the last two dims,
// shifted by the optional diagonal offset k (input 1), zeroing the rest.
#include <algorithm>
#include <memory>

#include "nn/kernel.hpp"
#include "nn/ops/common/dtype_dispatch.hpp"
#include "nn/ops/common/parallel.hpp"

namespace neuropipe::nn::ops {
namespace {

class Trilu final : public Kernel {
 public:
  explicit Trilu(bool upper) : upper_(upper) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    if (x.rank() < 2) ctx.fail("input must have rank >= 2, got " + shape_to_string(x.shape()));
    int64_t k = 0;
    if (const Tensor* kt = ctx.num_inputs() > 1 ? ctx.input(1) : nullptr) {
      if (kt->numel() != 1 || kt->dtype() != DType::i64) ctx.fail("k must be an int64 scalar");
      k = kt->data<int64_t>()[0];
    }
    Tensor& y = ctx.output(0, x.dtype(), x.shape());
    const bool supported = visit_dtype(x.dtype(), AllTypes{}, [&](auto tag) {
      using T = typename decltype(tag)::type;
      mask(x.data<T>(), y.data<T>(), x.shape(), k);
    });
    if (!supported) ctx.fail(unsupported_dtype_message(x.dtype()));
  }

 private:
  // Row r keeps columns >= r + k (upper) or <= r + k (lower).
  template <class T>
  void mask(const T* x, T* y, const Shape& shape, int64_t k) const {
    const int64_t rows = shape[shape.size() - 2], cols = shape.back();
    const int64_t total_rows = rows == 0 || cols == 0 ? 0 : shape_numel(shape) / cols;
    parallel_chunks(total_rows, grain_for_cost(cols), [&](int64_t begin, int64_t end) {
      for (int64_t row = begin; row < end; ++row) {
        const int64_t r = row % rows;
        const int64_t split = std::clamp<int64_t>(upper_ ? r + k : r + k + 1, 0, cols);
        const T* in = x + row * cols;
        T* out = y + row * cols;
        for (int64_t c = 0; c < cols; ++c) out[c] = (c < split) != upper_ ? in[c] : T(0);
      }
    });
  }

  bool upper_;
};

NP_REGISTER_KERNEL("Trilu", 14, 1000, [](const KernelBuildContext& b) -> std::unique_ptr<Kernel> {
  return std::make_unique<Trilu>(b.attributes().get_int("upper", 1) != 0);
});

}  // namespace
}  // namespace neuropipe::nn::ops
