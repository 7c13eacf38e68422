// InstanceNormalization (opsets 1-18): each (n, c) plane normalised by its own
// mean and population variance, then scale[c] and B[c].
#include <cmath>
#include <memory>

#include "nn/ops/dense/dense_op_support.hpp"

namespace neuropipe::nn::ops {

namespace {

class InstanceNormalization final : public Kernel {
 public:
  explicit InstanceNormalization(const KernelBuildContext& b)
      : epsilon_(b.attributes().get_float("epsilon", 1e-5f)) {}

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
        double sum = 0, sq = 0;
        for (int64_t i = 0; i < plane; ++i) sum += in[i], sq += double(in[i]) * in[i];
        const double mean = sum / static_cast<double>(plane),
                     var = sq / static_cast<double>(plane) - mean * mean;
        const float a = scale.data<float>()[c] / static_cast<float>(std::sqrt(var + epsilon_));
        const float b = bias.data<float>()[c] - static_cast<float>(mean) * a;
        for (int64_t i = 0; i < plane; ++i) out[i] = in[i] * a + b;
      }
    });
  }

 private:
  float epsilon_;
};

}  // namespace

NP_REGISTER_KERNEL("InstanceNormalization", 1, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<InstanceNormalization>(b); });

}  // namespace neuropipe::nn::ops
