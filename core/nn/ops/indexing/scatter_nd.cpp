// ScatterND: a copy of data where each index tuple's slice is replaced by (or,
// with `reduction`, combined with) the matching slice of updates, in order.
#include <cstring>

#include "nn/kernel.hpp"
#include "nn/ops/indexing/nd_index.hpp"
#include "nn/ops/indexing/reduction.hpp"

namespace neuropipe::nn {
namespace {

class ScatterND final : public Kernel {
 public:
  explicit ScatterND(const KernelBuildContext& b) : reduction_(ops::parse_reduction(b)) {}

  void run(KernelContext& ctx) const override {
    const Tensor& data = *ctx.input(0);
    const Tensor& indices = *ctx.input(1);
    const Tensor& updates = *ctx.input(2);
    if (updates.dtype() != data.dtype()) ctx.fail("updates and data differ in type");
    const auto fail = [&](const std::string& m) { ctx.fail(m); };
    const ops::NdIndexPlan plan =
        ops::plan_nd_index(data.shape(), indices.shape(), indices.to_int64_vector(), 0, fail);
    if (updates.shape() != plan.out_shape) {
      ctx.fail("updates shape " + shape_to_string(updates.shape()) + " should be " +
               shape_to_string(plan.out_shape));
    }
    Tensor& out = ctx.output(0, data.dtype(), data.shape());
    const bool ok = ops::visit_dtype(data.dtype(), ops::AllTypes{}, [&](auto tag) {
      using T = typename decltype(tag)::type;
      T* dst = out.data<T>();
      std::memcpy(dst, data.raw(), data.bytes());
      const T* upd = updates.data<T>();
      for (size_t t = 0; t < plan.offsets.size(); ++t) {
        T* target = dst + plan.offsets[t];
        const T* from = upd + static_cast<int64_t>(t) * plan.slice;
        for (int64_t i = 0; i < plan.slice; ++i) ops::reduce_into(target[i], from[i], reduction_);
      }
    });
    if (!ok) ctx.fail(ops::unsupported_dtype_message(data.dtype()));
  }

 private:
  ops::Reduction reduction_;
};

NP_REGISTER_KERNEL("ScatterND", 11, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<ScatterND>(b); });

}  // namespace
}  // namespace neuropipe::nn
