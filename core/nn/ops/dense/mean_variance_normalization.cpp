// MeanVarianceNormalization (opsets 9-18): (x - mean) / (sqrt(variance) + 1e-9)
// with mean and variance taken over `axes` (default [0, 2, 3]), as the ONNX
// function body defines it.
#include <cmath>
#include <memory>

#include "nn/ops/dense/dense_op_support.hpp"

namespace neuropipe::nn::ops {

namespace {

class MeanVarianceNormalization final : public Kernel {
 public:
  explicit MeanVarianceNormalization(const KernelBuildContext& b)
      : axes_(b.attributes().get_ints("axes", {0, 2, 3})) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = float_input(ctx, 0, "X");
    const Shape& shape = x.shape();
    std::vector<bool> reduced(shape.size(), false);
    for (int64_t a : axes_) reduced[normalize_axis(ctx, a, shape.size(), "axes")] = true;
    // Flat index -> index among the kept (not reduced) coordinates.
    auto kept_index = [&](int64_t flat) {
      int64_t index = 0, scale = 1;
      for (size_t d = shape.size(); d-- > 0;) {
        const int64_t i = flat % shape[d];
        flat /= shape[d];
        if (!reduced[d]) index += i * scale, scale *= shape[d];
      }
      return index;
    };
    int64_t groups = 1;
    for (size_t d = 0; d < shape.size(); ++d)
      if (!reduced[d]) groups *= shape[d];
    const int64_t per_group = groups ? x.numel() / groups : 0;
    std::vector<double> sum(static_cast<size_t>(groups)), sq(static_cast<size_t>(groups));
    const float* in = x.data<float>();
    for (int64_t i = 0; i < x.numel(); ++i) {
      const int64_t g = kept_index(i);
      sum[g] += in[i];
      sq[g] += double(in[i]) * in[i];
    }
    std::vector<float> mean(sum.size()), inv(sum.size());
    for (size_t g = 0; g < sum.size(); ++g) {
      const double m = sum[g] / static_cast<double>(per_group);
      mean[g] = static_cast<float>(m);
      inv[g] = static_cast<float>(
          1.0 / (std::sqrt(std::max(0.0, sq[g] / static_cast<double>(per_group) - m * m)) + 1e-9));
    }
    Tensor& y = ctx.output(0, DType::f32, shape);
    parallel_chunks(x.numel(), kCostlyGrain, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) {
        const int64_t g = kept_index(i);
        y.data<float>()[i] = (in[i] - mean[g]) * inv[g];
      }
    });
  }

 private:
  std::vector<int64_t> axes_;
};

}  // namespace

NP_REGISTER_KERNEL("MeanVarianceNormalization", 9, 1000, [](const KernelBuildContext& b) {
  return std::make_unique<MeanVarianceNormalization>(b);
});

}  // namespace neuropipe::nn::ops
