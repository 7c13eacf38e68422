// Gather: picks slices along `axis` by index. Seen as data [outer, dim, inner]
// and indices [n], the output [outer, n, inner] is one memcpy of `inner`
// elements per (outer, index) pair. Negative indices count from the end.
#include <cstring>

#include "nn/kernel.hpp"
#include "nn/ops/common/parallel.hpp"
#include "nn/ops/shape/axes.hpp"

namespace neuropipe::nn {
namespace {

class Gather final : public Kernel {
 public:
  explicit Gather(const KernelBuildContext& b) : axis_(b.attributes().get_int("axis", 0)) {}

  void run(KernelContext& ctx) const override {
    const Tensor& data = *ctx.input(0);
    const Tensor& indices = *ctx.input(1);
    if (data.dtype() == DType::string) ctx.fail("string tensors are not supported");
    const auto fail = [&](const std::string& m) { ctx.fail(m); };
    const size_t axis =
        static_cast<size_t>(ops::normalize_axis(axis_, static_cast<int64_t>(data.rank()), "axis", fail));
    const int64_t dim = data.dim(axis);
    std::vector<int64_t> idx = indices.to_int64_vector();
    for (int64_t& i : idx) i = ops::normalize_index(i, dim, "indices", fail);

    Shape out_shape(data.shape().begin(), data.shape().begin() + static_cast<int64_t>(axis));
    out_shape.insert(out_shape.end(), indices.shape().begin(), indices.shape().end());
    out_shape.insert(out_shape.end(), data.shape().begin() + static_cast<int64_t>(axis) + 1,
                     data.shape().end());
    Tensor& out = ctx.output(0, data.dtype(), out_shape);

    const size_t width = dtype_size(data.dtype());
    const int64_t outer = ops::dims_product(data.shape(), 0, axis);
    const size_t block = static_cast<size_t>(ops::dims_product(data.shape(), axis + 1, data.rank())) * width;
    const int64_t n = static_cast<int64_t>(idx.size());
    const auto* src = static_cast<const uint8_t*>(data.raw());
    auto* dst = static_cast<uint8_t*>(out.raw());
    if (block == 0) return;
    ops::parallel_chunks(
        outer * n, ops::grain_for_cost(static_cast<int64_t>(block / width)), [&](int64_t begin, int64_t end) {
          for (int64_t t = begin; t < end; ++t) {
            const int64_t o = t / n, j = t % n;
            std::memcpy(dst + static_cast<size_t>(t) * block,
                        src + static_cast<size_t>(o * dim + idx[static_cast<size_t>(j)]) * block, block);
          }
        });
  }

 private:
  int64_t axis_;
};

NP_REGISTER_KERNEL("Gather", 1, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<Gather>(b); });

}  // namespace
}  // namespace neuropipe::nn
