// Dropout at inference: the output is the input (a view, no copy) and the
// optional mask is all true. Training mode would need the random mask ONNX
// does not pin down, so it is refused with a clear error.
#include <algorithm>
#include <memory>

#include "nn/kernel.hpp"

namespace neuropipe::nn::ops {
namespace {

class Dropout final : public Kernel {
 public:
  explicit Dropout(size_t outputs) : outputs_(outputs) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const Tensor* training = ctx.num_inputs() > 2 ? ctx.input(2) : nullptr;
    if (training && training->dtype() == DType::boolean && training->numel() == 1 && training->data<bool>()[0])
      ctx.unsupported("training_mode=true is not supported (the engine runs inference only)");
    ctx.output_alias(0, x);
    if (outputs_ > 1) {
      Tensor& mask = ctx.output(1, DType::boolean, x.shape());
      std::fill_n(mask.data<bool>(), mask.numel(), true);
    }
  }

 private:
  size_t outputs_;
};

NP_REGISTER_KERNEL("Dropout", 7, 1000, [](const KernelBuildContext& b) -> std::unique_ptr<Kernel> {
  return std::make_unique<Dropout>(b.num_outputs());
});

}  // namespace
}  // namespace neuropipe::nn::ops
