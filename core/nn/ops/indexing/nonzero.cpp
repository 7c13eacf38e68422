// NonZero: the coordinates of every non-zero element, as [rank, count] int64
// in row-major order (numpy.nonzero stacked).
#include "nn/kernel.hpp"
#include "nn/ops/common/dtype_dispatch.hpp"
#include "nn/ops/shape/axes.hpp"

namespace neuropipe::nn {
namespace {

class NonZero final : public Kernel {
 public:
  explicit NonZero(const KernelBuildContext&) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    std::vector<int64_t> hits;
    const bool ok = ops::visit_dtype(x.dtype(), ops::AllTypes{}, [&](auto tag) {
      using T = typename decltype(tag)::type;
      const T* v = x.data<T>();
      for (int64_t i = 0; i < x.numel(); ++i) {
        if (v[i] != T{}) hits.push_back(i);
      }
    });
    if (!ok) ctx.fail(ops::unsupported_dtype_message(x.dtype()));
    const int64_t rank = static_cast<int64_t>(x.rank()), count = static_cast<int64_t>(hits.size());
    int64_t* out = ctx.output(0, DType::i64, {rank, count}).data<int64_t>();
    const std::vector<int64_t> strides = ops::contiguous_strides(x.shape());
    for (int64_t j = 0; j < count; ++j) {
      for (int64_t d = 0; d < rank; ++d)
        out[d * count + j] =
            hits[static_cast<size_t>(j)] / strides[static_cast<size_t>(d)] % x.dim(static_cast<size_t>(d));
    }
  }
};

NP_REGISTER_KERNEL("NonZero", 9, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<NonZero>(b); });

}  // namespace
}  // namespace neuropipe::nn
