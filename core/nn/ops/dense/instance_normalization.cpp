// InstanceNormalization (opsets 1-18): each (n, c) plane normalised by its own
// mean and population variance, then scale[c] and B[c], then the activation a
// fusion pass may request through "_fused_activation" (style and translation
// networks follow every InstanceNormalization with a Relu), applied to each
// plane while it is still in cache instead of a separate pass over the tensor.
#include <algorithm>
#include <cmath>
#include <memory>
#include <utility>

#include "nn/kernels/activation.hpp"
#include "nn/ops/dense/dense_op_support.hpp"

namespace neuropipe::nn::ops {

namespace {

// Sum and sum of squares of n values: float partial sums over 16 independent
// lanes (the compiler vectorises them) for blocks of 1024 values, each block
// total added in double, so large planes keep double-like accuracy while the
// inner loop runs at vector speed (a plain double loop is one dependent add per value).
std::pair<double, double> sum_and_squares(const float* x, int64_t n) {
  constexpr int64_t kLanes = 16, kBlock = 1024;
  double sum = 0, sq = 0;
  for (int64_t b = 0; b < n; b += kBlock) {
    const int64_t end = std::min(n, b + kBlock);
    float s[kLanes] = {}, q[kLanes] = {};
    int64_t i = b;
    for (; i + kLanes <= end; i += kLanes)
      for (int64_t l = 0; l < kLanes; ++l) s[l] += x[i + l], q[l] += x[i + l] * x[i + l];
    for (; i < end; ++i) sum += x[i], sq += double(x[i]) * x[i];
    for (int64_t l = 0; l < kLanes; ++l) sum += s[l], sq += q[l];
  }
  return {sum, sq};
}

class InstanceNormalization final : public Kernel {
 public:
  explicit InstanceNormalization(const KernelBuildContext& b)
      : epsilon_(b.attributes().get_float("epsilon", 1e-5f)),
        activation_(kernels::fused_activation_from(b.attributes())) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = float_input(ctx, 0, "input");
    const Tensor& scale = float_input(ctx, 1, "scale");
    const Tensor& bias = float_input(ctx, 2, "B");
    if (x.rank() < 3) ctx.fail("input must be N x C x spatial..., got " + shape_to_string(x.shape()));
    const int64_t channels = x.dim(1), plane = dims_product(x.shape(), 2, x.rank());
    if (scale.numel() != channels || bias.numel() != channels)
      ctx.fail("scale and B must have " + std::to_string(channels) + " values");
    Tensor& y = ctx.output(0, DType::f32, x.shape());
    parallel_chunks(x.dim(0) * channels, grain_for_cost(plane), [&](int64_t begin, int64_t end) {
      for (int64_t p = begin; p < end; ++p) {
        const int64_t c = p % channels;
        const float* in = x.data<float>() + p * plane;
        float* out = y.data<float>() + p * plane;
        const auto [sum, sq] = sum_and_squares(in, plane);
        const double mean = sum / static_cast<double>(plane),
                     var = std::max(0.0, sq / static_cast<double>(plane) - mean * mean);
        const float a = scale.data<float>()[c] / static_cast<float>(std::sqrt(var + epsilon_));
        const float b = bias.data<float>()[c] - static_cast<float>(mean) * a;
        if (activation_.kind == kernels::Activation::Kind::relu) {  // one pass, the Relu op's own formula
          for (int64_t i = 0; i < plane; ++i) {
            // std::max(0, v) is 0 for NaN like the Relu op; clang 14 -O2 turned
            // the equivalent `v > 0 ? v : 0` here into a max that kept NaN.
            out[i] = std::max(0.f, in[i] * a + b);
          }
          continue;
        }
        for (int64_t i = 0; i < plane; ++i) out[i] = in[i] * a + b;
        if (activation_.kind != kernels::Activation::Kind::none)
          kernels::apply_bias_activation(out, plane, 0.f, activation_);
      }
    });
  }

 private:
  float epsilon_;
  kernels::Activation activation_;  // "_fused_activation", none unless a pass fused one
};

}  // namespace

NP_REGISTER_KERNEL("InstanceNormalization", 1, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<InstanceNormalization>(b); });

}  // namespace neuropipe::nn::ops
