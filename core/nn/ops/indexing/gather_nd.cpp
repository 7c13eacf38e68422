// GatherND: out[tuple t] = the data slice its index tuple selects (see nd_index.hpp).
#include <cstring>

#include "nn/kernel.hpp"
#include "nn/ops/common/parallel.hpp"
#include "nn/ops/indexing/nd_index.hpp"

namespace neuropipe::nn {
namespace {

class GatherND final : public Kernel {
 public:
  explicit GatherND(const KernelBuildContext& b) : batch_dims_(b.attributes().get_int("batch_dims", 0)) {
    if (batch_dims_ < 0) b.fail("batch_dims must not be negative");
  }

  void run(KernelContext& ctx) const override {
    const Tensor& data = *ctx.input(0);
    const Tensor& indices = *ctx.input(1);
    if (data.dtype() == DType::string) ctx.fail("string tensors are not supported");
    const auto fail = [&](const std::string& m) { ctx.fail(m); };
    const ops::NdIndexPlan plan = ops::plan_nd_index(data.shape(), indices.shape(), indices.to_int64_vector(),
                                                     static_cast<size_t>(batch_dims_), fail);
    Tensor& out = ctx.output(0, data.dtype(), plan.out_shape);
    const size_t block = static_cast<size_t>(plan.slice) * dtype_size(data.dtype());
    const auto* src = static_cast<const uint8_t*>(data.raw());
    auto* dst = static_cast<uint8_t*>(out.raw());
    if (block == 0) return;
    ops::parallel_chunks(static_cast<int64_t>(plan.offsets.size()), ops::grain_for_cost(plan.slice),
                         [&](int64_t begin, int64_t end) {
                           for (int64_t t = begin; t < end; ++t) {
                             const size_t from = static_cast<size_t>(plan.offsets[static_cast<size_t>(t)]) *
                                                 dtype_size(data.dtype());
                             std::memcpy(dst + static_cast<size_t>(t) * block, src + from, block);
                           }
                         });
  }

 private:
  int64_t batch_dims_;
};

NP_REGISTER_KERNEL("GatherND", 11, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<GatherND>(b); });

}  // namespace
}  // namespace neuropipe::nn
