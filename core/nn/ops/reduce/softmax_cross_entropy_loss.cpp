// SoftmaxCrossEntropyLoss: log-softmax over the class axis (1) of the scores,
// then the negative log-likelihood of the labels. The log-probabilities are
// output 1 when the model asks for them, scratch memory otherwise.
#include <algorithm>
#include <cmath>
#include <memory>

#include "nn/ops/common/dtype_dispatch.hpp"
#include "nn/ops/common/parallel.hpp"
#include "nn/ops/reduce/loss.hpp"
#include "nn/ops/reduce/reduce_geometry.hpp"

namespace neuropipe::nn::ops {
namespace {

// log_softmax along axis 1 of [N, C, D]: x - max - log(sum(exp(x - max))) per (n, d).
template <class T>
void log_softmax(const T* x, T* y, const AxisSplit& s) {
  parallel_chunks(s.outer * s.inner, grain_for_cost(s.axis), [&](int64_t begin, int64_t end) {
    for (int64_t task = begin; task < end; ++task) {
      const int64_t base = (task / s.inner) * s.axis * s.inner + task % s.inner;
      T max = x[base];
      for (int64_t c = 1; c < s.axis; ++c) max = std::max(max, x[base + c * s.inner]);
      T sum = 0;
      for (int64_t c = 0; c < s.axis; ++c) sum += std::exp(x[base + c * s.inner] - max);
      const T shift = max + std::log(sum);
      for (int64_t c = 0; c < s.axis; ++c) y[base + c * s.inner] = x[base + c * s.inner] - shift;
    }
  });
}

class SoftmaxCrossEntropyLoss final : public Kernel {
 public:
  SoftmaxCrossEntropyLoss(LossOptions options, bool log_prob_output)
      : options_(options), log_prob_output_(log_prob_output) {}

  void run(KernelContext& ctx) const override {
    const Tensor& scores = *ctx.input(0);
    if (scores.rank() < 2) ctx.fail("scores must have shape [N, C, d...], got " + shape_to_string(scores.shape()));
    Tensor log_prob = log_prob_output_ ? ctx.output(1, scores.dtype(), scores.shape())
                                       : Tensor::view(scores.dtype(), scores.shape(), ctx.scratch(scores.bytes()));
    const bool supported = visit_dtype(scores.dtype(), FloatTypes{}, [&](auto tag) {
      using T = typename decltype(tag)::type;
      log_softmax(scores.data<T>(), log_prob.data<T>(), split_at_axis(scores.shape(), 1));
    });
    if (!supported) ctx.fail("scores: " + unsupported_dtype_message(scores.dtype()));
    const Tensor* weight = ctx.num_inputs() > 2 ? ctx.input(2) : nullptr;
    negative_log_likelihood(ctx, log_prob, *ctx.input(1), weight, options_);
  }

 private:
  LossOptions options_;
  bool log_prob_output_;
};

NP_REGISTER_KERNEL("SoftmaxCrossEntropyLoss", 12, 1000, [](const KernelBuildContext& b) -> std::unique_ptr<Kernel> {
  return std::make_unique<SoftmaxCrossEntropyLoss>(loss_options(b), b.num_outputs() > 1);
});

}  // namespace
}  // namespace neuropipe::nn::ops
