// Reshape: same elements, new shape, no copy (the output aliases the input).
// Opsets 1-4 take the shape as an attribute, later ones as input 1; opset 14
// adds `allowzero` (0 then means an empty dim instead of "copy the input dim").
#include "nn/kernel.hpp"

namespace neuropipe::nn {
namespace {

class Reshape final : public Kernel {
 public:
  explicit Reshape(const KernelBuildContext& b)
      : allow_zero_(b.attributes().get_int("allowzero", 0) != 0),
        shape_attr_(b.attributes().get_ints("shape")) {}

  void run(KernelContext& ctx) const override {
    const Tensor& data = *ctx.input(0);
    const Tensor* shape_input = ctx.num_inputs() > 1 ? ctx.input(1) : nullptr;
    const std::vector<int64_t> requested = shape_input ? shape_input->to_int64_vector() : shape_attr_;
    ctx.output_alias(0, data.reshaped(resolve(ctx, data.shape(), requested)));
  }

 private:
  Shape resolve(const KernelContext& ctx, const Shape& in, const std::vector<int64_t>& requested) const {
    Shape out(requested.begin(), requested.end());
    int64_t infer_at = -1, known = 1;
    for (size_t i = 0; i < out.size(); ++i) {
      if (out[i] == 0 && !allow_zero_) {
        if (i >= in.size()) ctx.fail("shape[" + std::to_string(i) + "] = 0 copies a dim the input lacks");
        out[i] = in[i];
      }
      if (out[i] == -1) {
        if (infer_at >= 0) ctx.fail("shape has more than one -1");
        infer_at = static_cast<int64_t>(i);
        continue;
      }
      if (out[i] < 0)
        ctx.fail("shape[" + std::to_string(i) + "] = " + std::to_string(out[i]) + " is invalid");
      known *= out[i];
    }
    const int64_t numel = shape_numel(in);
    if (infer_at >= 0) {
      if (known == 0 || numel % known != 0) {
        ctx.fail("cannot infer -1 reshaping " + shape_to_string(in) + " to " + shape_to_string(requested));
      }
      out[static_cast<size_t>(infer_at)] = numel / known;
    }
    if (shape_numel(out) != numel) {
      ctx.fail("cannot reshape " + shape_to_string(in) + " to " + shape_to_string(requested));
    }
    return out;
  }

  bool allow_zero_;
  std::vector<int64_t> shape_attr_;
};

NP_REGISTER_KERNEL("Reshape", 1, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<Reshape>(b); });

}  // namespace
}  // namespace neuropipe::nn
