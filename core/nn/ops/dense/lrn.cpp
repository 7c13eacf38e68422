// LRN (opsets 1-18): local response normalisation across channels,
// y = x / (bias + alpha / size * sum of x^2 over the channel window)^beta, the
// window being [c - floor((size-1)/2), c + ceil((size-1)/2)].
#include <cmath>
#include <memory>

#include "nn/ops/dense/dense_op_support.hpp"

namespace neuropipe::nn::ops {

namespace {

class Lrn final : public Kernel {
 public:
  explicit Lrn(const KernelBuildContext& b)
      : size_(b.attributes().require_int("size")),
        alpha_(b.attributes().get_float("alpha", 1e-4f)),
        beta_(b.attributes().get_float("beta", 0.75f)),
        bias_(b.attributes().get_float("bias", 1.f)) {
    if (size_ < 1) b.fail("attribute size must be >= 1, got " + std::to_string(size_));
  }

  void run(KernelContext& ctx) const override {
    const Tensor& x = float_input(ctx, 0, "X");
    if (x.rank() < 3) ctx.fail("input X must be N x C x spatial..., got " + shape_to_string(x.shape()));
    const int64_t channels = x.dim(1), plane = dims_product(x.shape(), 2, x.rank());
    const int64_t before = (size_ - 1) / 2, after = size_ - 1 - before;
    Tensor& y = ctx.output(0, DType::f32, x.shape());
    parallel_chunks(x.dim(0) * channels, grain_for_cost(plane * size_), [&](int64_t begin, int64_t end) {
      std::vector<float> sums(static_cast<size_t>(plane));
      for (int64_t p = begin; p < end; ++p) {
        const int64_t n = p / channels, c = p % channels;
        std::fill(sums.begin(), sums.end(), 0.f);
        for (int64_t q = std::max<int64_t>(0, c - before); q <= std::min(channels - 1, c + after); ++q) {
          const float* in = x.data<float>() + (n * channels + q) * plane;
          for (int64_t i = 0; i < plane; ++i) sums[i] += in[i] * in[i];
        }
        const float* in = x.data<float>() + p * plane;
        float* out = y.data<float>() + p * plane;
        const float k = alpha_ / static_cast<float>(size_);
        for (int64_t i = 0; i < plane; ++i) out[i] = in[i] / std::pow(bias_ + k * sums[i], beta_);
      }
    });
  }

 private:
  int64_t size_;
  float alpha_, beta_, bias_;
};

}  // namespace

NP_REGISTER_KERNEL("LRN", 1, 1000, [](const KernelBuildContext& b) { return std::make_unique<Lrn>(b); });

}  // namespace neuropipe::nn::ops
