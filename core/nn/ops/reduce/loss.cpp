#include "nn/ops/reduce/loss.hpp"

#include <algorithm>
#include <vector>

#include "nn/ops/common/dtype_dispatch.hpp"

namespace neuropipe::nn::ops {

LossOptions loss_options(const KernelBuildContext& b) {
  LossOptions options;
  const std::string reduction = b.attributes().get_string("reduction", "mean");
  if (reduction == "none") options.reduction = LossReduction::none;
  else if (reduction == "sum") options.reduction = LossReduction::sum;
  else if (reduction != "mean") b.fail("attribute 'reduction' must be none, sum or mean, got '" + reduction + "'");
  if (b.attributes().has("ignore_index")) options.ignore_index = b.attributes().get_int("ignore_index", 0);
  return options;
}

namespace {

void check_shapes(const KernelContext& ctx, const Tensor& log_prob, const Tensor& target, const Tensor* weight) {
  const Shape& in = log_prob.shape();
  if (in.size() < 2) ctx.fail("input must have shape [N, C, d...], got " + shape_to_string(in));
  Shape expected_target = {in[0]};
  expected_target.insert(expected_target.end(), in.begin() + 2, in.end());
  if (target.shape() != expected_target)
    ctx.fail("target shape " + shape_to_string(target.shape()) + " does not match input " + shape_to_string(in) +
             " (expected " + shape_to_string(expected_target) + ")");
  if (weight && weight->shape() != Shape{in[1]})
    ctx.fail("weight shape " + shape_to_string(weight->shape()) + " must be [C] = [" + std::to_string(in[1]) + "]");
  if (weight && weight->dtype() != log_prob.dtype()) ctx.fail("weight and input have different element types");
}

template <class T, class Label>
void compute(KernelContext& ctx, const Tensor& log_prob, const Tensor& target, const Tensor* weight,
             const LossOptions& options) {
  const int64_t n = log_prob.dim(0), classes = log_prob.dim(1), spatial = target.numel() / std::max<int64_t>(n, 1);
  const T* in = log_prob.data<T>();
  const Label* labels = target.data<Label>();
  const T* weights = weight ? weight->data<T>() : nullptr;
  std::vector<T> loss(static_cast<size_t>(target.numel()));
  double total_loss = 0, total_weight = 0;
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t d = 0; d < spatial; ++d) {
      const int64_t at = i * spatial + d;
      const auto label = static_cast<int64_t>(labels[at]);
      if (options.ignore_index && label == *options.ignore_index) {
        loss[at] = T(0);
        continue;
      }
      if (label < 0 || label >= classes)
        ctx.fail("target " + std::to_string(label) + " is outside [0, " + std::to_string(classes) + ")");
      const T w = weights ? weights[label] : T(1);
      loss[at] = -in[(i * classes + label) * spatial + d] * w;
      total_loss += static_cast<double>(loss[at]);
      total_weight += static_cast<double>(w);
    }
  }
  if (options.reduction == LossReduction::none) {
    Tensor& out = ctx.output(0, log_prob.dtype(), target.shape());
    std::copy(loss.begin(), loss.end(), out.data<T>());
    return;
  }
  Tensor& out = ctx.output(0, log_prob.dtype(), {});
  out.data<T>()[0] = static_cast<T>(options.reduction == LossReduction::sum ? total_loss : total_loss / total_weight);
}

}  // namespace

void negative_log_likelihood(KernelContext& ctx, const Tensor& log_prob, const Tensor& target,
                             const Tensor* weight, const LossOptions& options) {
  check_shapes(ctx, log_prob, target, weight);
  bool label_supported = true;
  const bool supported = visit_dtype(log_prob.dtype(), FloatTypes{}, [&](auto value_tag) {
    using T = typename decltype(value_tag)::type;
    label_supported = visit_dtype(target.dtype(), TypeList<int32_t, int64_t>{}, [&](auto label_tag) {
      compute<T, typename decltype(label_tag)::type>(ctx, log_prob, target, weight, options);
    });
  });
  if (!supported) ctx.fail("input: " + unsupported_dtype_message(log_prob.dtype()));
  if (!label_supported) ctx.fail("target: " + unsupported_dtype_message(target.dtype()));
}

}  // namespace neuropipe::nn::ops
