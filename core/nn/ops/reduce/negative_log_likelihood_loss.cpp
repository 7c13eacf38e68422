// NegativeLogLikelihoodLoss: input holds log-probabilities [N, C, d...].
#include <memory>

#include "nn/ops/reduce/loss.hpp"

namespace neuropipe::nn::ops {
namespace {

class NegativeLogLikelihoodLoss final : public Kernel {
 public:
  explicit NegativeLogLikelihoodLoss(LossOptions options) : options_(options) {}
  void run(KernelContext& ctx) const override {
    const Tensor* weight = ctx.num_inputs() > 2 ? ctx.input(2) : nullptr;
    negative_log_likelihood(ctx, *ctx.input(0), *ctx.input(1), weight, options_);
  }

 private:
  LossOptions options_;
};

NP_REGISTER_KERNEL("NegativeLogLikelihoodLoss", 12, 1000, [](const KernelBuildContext& b) -> std::unique_ptr<Kernel> {
  return std::make_unique<NegativeLogLikelihoodLoss>(loss_options(b));
});

}  // namespace
}  // namespace neuropipe::nn::ops
