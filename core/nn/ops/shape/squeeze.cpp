// Squeeze: drops size-1 dims (the listed ones, or all), no copy.
// Axes are an attribute before opset 13 and an optional input from 13.
#include "nn/kernel.hpp"
#include "nn/ops/shape/axes.hpp"

namespace neuropipe::nn {
namespace {

class Squeeze final : public Kernel {
 public:
  explicit Squeeze(const KernelBuildContext& b) : axes_attr_(b.attributes().get_ints("axes")) {}

  void run(KernelContext& ctx) const override {
    const Tensor& data = *ctx.input(0);
    const Tensor* axes_input = ctx.num_inputs() > 1 ? ctx.input(1) : nullptr;
    const std::vector<int64_t> axes = axes_input ? axes_input->to_int64_vector() : axes_attr_;
    const auto fail = [&](const std::string& m) { ctx.fail(m); };
    const int64_t rank = static_cast<int64_t>(data.rank());
    std::vector<bool> drop(data.rank(), axes.empty());
    if (axes.empty()) {
      for (size_t d = 0; d < data.rank(); ++d) drop[d] = data.dim(d) == 1;
    }
    for (int64_t a : ops::normalize_axes(axes, rank, "axes", fail)) {
      if (data.dim(static_cast<size_t>(a)) != 1) {
        ctx.fail("cannot squeeze axis " + std::to_string(a) + " of shape " + shape_to_string(data.shape()));
      }
      drop[static_cast<size_t>(a)] = true;
    }
    Shape out;
    for (size_t d = 0; d < data.rank(); ++d) {
      if (!drop[d]) out.push_back(data.dim(d));
    }
    ctx.output_alias(0, data.reshaped(out));
  }

 private:
  std::vector<int64_t> axes_attr_;
};

NP_REGISTER_KERNEL("Squeeze", 1, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<Squeeze>(b); });

}  // namespace
}  // namespace neuropipe::nn
