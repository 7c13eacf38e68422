// GatherElements: out[i] = data[i with coordinate `axis` replaced by indices[i]];
// the output has the indices' shape.
#include "nn/kernel.hpp"
#include "nn/ops/indexing/element_walk.hpp"
#include "nn/ops/shape/element_width.hpp"

namespace neuropipe::nn {
namespace {

class GatherElements final : public Kernel {
 public:
  explicit GatherElements(const KernelBuildContext& b) : axis_(b.attributes().get_int("axis", 0)) {}

  void run(KernelContext& ctx) const override {
    const Tensor& data = *ctx.input(0);
    const Tensor& indices = *ctx.input(1);
    const auto fail = [&](const std::string& m) { ctx.fail(m); };
    const size_t axis =
        static_cast<size_t>(ops::normalize_axis(axis_, static_cast<int64_t>(data.rank()), "axis", fail));
    Tensor& out = ctx.output(0, data.dtype(), indices.shape());
    const std::vector<int64_t> idx = indices.to_int64_vector();
    const bool ok = ops::visit_element_width(data.dtype(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      const T* src = data.data<T>();
      T* dst = out.data<T>();
      ops::walk_axis_indices(data.shape(), indices.shape(), idx, axis, fail,
                             [&](size_t i, int64_t offset) { dst[i] = src[offset]; });
    });
    if (!ok) ctx.fail(ops::unsupported_movement_message(data.dtype()));
  }

 private:
  int64_t axis_;
};

NP_REGISTER_KERNEL("GatherElements", 11, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<GatherElements>(b); });

}  // namespace
}  // namespace neuropipe::nn
