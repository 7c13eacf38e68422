// Unsqueeze: inserts size-1 dims at the given output positions, no copy.
// Axes are an attribute before opset 13 and a required input from 13.
#include "nn/kernel.hpp"
#include "nn/ops/shape/axes.hpp"

namespace neuropipe::nn {
namespace {

class Unsqueeze final : public Kernel {
 public:
  explicit Unsqueeze(const KernelBuildContext& b) : axes_attr_(b.attributes().get_ints("axes")) {
    if (b.num_inputs() < 2 && axes_attr_.empty())
      b.fail("needs axes (attribute before opset 13, input after)");
  }

  void run(KernelContext& ctx) const override {
    const Tensor& data = *ctx.input(0);
    const Tensor* axes_input = ctx.num_inputs() > 1 ? ctx.input(1) : nullptr;
    const std::vector<int64_t> axes = axes_input ? axes_input->to_int64_vector() : axes_attr_;
    const int64_t out_rank = static_cast<int64_t>(data.rank() + axes.size());
    const auto fail = [&](const std::string& m) { ctx.fail(m); };
    std::vector<bool> inserted(static_cast<size_t>(out_rank), false);
    for (int64_t a : ops::normalize_axes(axes, out_rank, "axes", fail))
      inserted[static_cast<size_t>(a)] = true;
    Shape out;
    size_t next_in = 0;
    for (int64_t d = 0; d < out_rank; ++d) {
      out.push_back(inserted[static_cast<size_t>(d)] ? 1 : data.dim(next_in++));
    }
    ctx.output_alias(0, data.reshaped(out));
  }

 private:
  std::vector<int64_t> axes_attr_;
};

NP_REGISTER_KERNEL("Unsqueeze", 1, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<Unsqueeze>(b); });

}  // namespace
}  // namespace neuropipe::nn
