// ScatterElements (and its old name Scatter, opsets 9-10): a copy of data
// where each update goes to its own position with coordinate `axis` replaced
// by the index, combined per `reduction`. Updates apply in order, so
// duplicate indices behave as ONNX specifies (the last one wins for "none").
#include <cstring>

#include "nn/kernel.hpp"
#include "nn/ops/indexing/element_walk.hpp"
#include "nn/ops/indexing/reduction.hpp"

namespace neuropipe::nn {
namespace {

class ScatterElements final : public Kernel {
 public:
  explicit ScatterElements(const KernelBuildContext& b)
      : axis_(b.attributes().get_int("axis", 0)), reduction_(ops::parse_reduction(b)) {}

  void run(KernelContext& ctx) const override {
    const Tensor& data = *ctx.input(0);
    const Tensor& indices = *ctx.input(1);
    const Tensor& updates = *ctx.input(2);
    if (updates.shape() != indices.shape()) ctx.fail("updates and indices differ in shape");
    if (updates.dtype() != data.dtype()) ctx.fail("updates and data differ in type");
    const auto fail = [&](const std::string& m) { ctx.fail(m); };
    const size_t axis =
        static_cast<size_t>(ops::normalize_axis(axis_, static_cast<int64_t>(data.rank()), "axis", fail));
    Tensor& out = ctx.output(0, data.dtype(), data.shape());
    const std::vector<int64_t> idx = indices.to_int64_vector();
    const bool ok = ops::visit_dtype(data.dtype(), ops::AllTypes{}, [&](auto tag) {
      using T = typename decltype(tag)::type;
      T* dst = out.data<T>();
      std::memcpy(dst, data.raw(), data.bytes());
      const T* upd = updates.data<T>();
      ops::walk_axis_indices(data.shape(), indices.shape(), idx, axis, fail, [&](size_t i, int64_t offset) {
        ops::reduce_into(dst[offset], upd[i], reduction_);
      });
    });
    if (!ok) ctx.fail(ops::unsupported_dtype_message(data.dtype()));
  }

 private:
  int64_t axis_;
  ops::Reduction reduction_;
};

const auto make = [](const KernelBuildContext& b) { return std::make_unique<ScatterElements>(b); };
NP_REGISTER_KERNEL("ScatterElements", 11, 1000, make);
NP_REGISTER_KERNEL("Scatter", 9, 10, make);

}  // namespace
}  // namespace neuropipe::nn
