#pragma once
// The negative log-likelihood core shared by NegativeLogLikelihoodLoss and
// SoftmaxCrossEntropyLoss, with ONNX's reference semantics: per-class
// weights, an ignored label that contributes nothing, and reduction
// none / sum / mean (mean divides by the total weight of the counted labels).
#include <cstdint>
#include <optional>
#include <string>

#include "nn/kernel.hpp"

namespace neuropipe::nn::ops {

enum class LossReduction { none, sum, mean };

struct LossOptions {
  LossReduction reduction = LossReduction::mean;
  std::optional<int64_t> ignore_index;
};

// Reads `reduction` (default "mean") and `ignore_index`; fails naming a bad reduction.
LossOptions loss_options(const KernelBuildContext& b);

// Writes output 0: the loss of `log_prob` ([N, C, d...], float or double)
// against `target` ([N, d...], int32 or int64) with optional `weight` ([C]).
void negative_log_likelihood(KernelContext& ctx, const Tensor& log_prob, const Tensor& target,
                             const Tensor* weight, const LossOptions& options);

}  // namespace neuropipe::nn::ops
