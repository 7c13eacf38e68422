// BatchNormalization (opsets 1-18). Inference: y = x * a[c] + b[c] with
// a = scale / sqrt(var + eps), b = bias - mean * a (folded once at load when
// the statistics are constant). training_mode=1 (opset 14+) normalises with
// the batch's own mean and (population) variance and also returns the updated
// running statistics: running = stored * momentum + batch * (1 - momentum).
#include <cmath>
#include <memory>

#include "nn/ops/dense/dense_op_support.hpp"

namespace neuropipe::nn::ops {

namespace {

class BatchNormalization final : public Kernel {
 public:
  explicit BatchNormalization(const KernelBuildContext& b)
      : epsilon_(b.attributes().get_float("epsilon", 1e-5f)),
        momentum_(b.attributes().get_float("momentum", 0.9f)),
        training_(b.attributes().get_int("training_mode", 0) != 0) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = float_input(ctx, 0, "X");
    const Tensor& scale = float_input(ctx, 1, "scale");
    const Tensor& bias = float_input(ctx, 2, "B");
    const Tensor& mean = float_input(ctx, 3, "input_mean");
    const Tensor& var = float_input(ctx, 4, "input_var");
    if (x.rank() < 2) ctx.fail("input X must be N x C x ..., got " + shape_to_string(x.shape()));
    const int64_t channels = x.dim(1);
    for (const Tensor* t : {&scale, &bias, &mean, &var})
      if (t->numel() != channels)
        ctx.fail("per-channel input " + shape_to_string(t->shape()) + " must have " +
                 std::to_string(channels) + " values");
    const int64_t batch = x.dim(0), plane = dims_product(x.shape(), 2, x.rank());
    std::vector<float> used_mean(mean.data<float>(), mean.data<float>() + channels);
    std::vector<float> used_var(var.data<float>(), var.data<float>() + channels);
    if (training_) {
      batch_statistics(x, batch, channels, plane, used_mean, used_var);
      write_running(ctx, 1, mean, used_mean);
      write_running(ctx, 2, var, used_var);
    }
    std::vector<float> a(static_cast<size_t>(channels)), b(static_cast<size_t>(channels));
    for (int64_t c = 0; c < channels; ++c) {
      a[c] = scale.data<float>()[c] / std::sqrt(used_var[c] + epsilon_);
      b[c] = bias.data<float>()[c] - used_mean[c] * a[c];
    }
    Tensor& y = ctx.output(0, DType::f32, x.shape());
    parallel_chunks(batch * channels, grain_for_cost(plane), [&](int64_t begin, int64_t end) {
      for (int64_t p = begin; p < end; ++p) {
        const int64_t c = p % channels;
        const float* in = x.data<float>() + p * plane;
        float* out = y.data<float>() + p * plane;
        for (int64_t i = 0; i < plane; ++i) out[i] = in[i] * a[c] + b[c];
      }
    });
  }

 private:
  static void batch_statistics(const Tensor& x, int64_t batch, int64_t channels, int64_t plane,
                               std::vector<float>& mean, std::vector<float>& var) {
    parallel_chunks(channels, 1, [&](int64_t begin, int64_t end) {
      for (int64_t c = begin; c < end; ++c) {
        double sum = 0, sq = 0;
        for (int64_t n = 0; n < batch; ++n) {
          const float* in = x.data<float>() + (n * channels + c) * plane;
          for (int64_t i = 0; i < plane; ++i) sum += in[i], sq += double(in[i]) * in[i];
        }
        const double count = static_cast<double>(batch * plane), m = sum / count;
        mean[c] = static_cast<float>(m);
        var[c] = static_cast<float>(sq / count - m * m);
      }
    });
  }

  void write_running(KernelContext& ctx, size_t output, const Tensor& stored,
                     const std::vector<float>& batch) const {
    Tensor* out = optional_output(ctx, output, DType::f32, stored.shape());
    if (!out) return;
    for (size_t c = 0; c < batch.size(); ++c)
      out->data<float>()[c] = stored.data<float>()[c] * momentum_ + batch[c] * (1.f - momentum_);
  }

  float epsilon_, momentum_;
  bool training_;
};

}  // namespace

NP_REGISTER_KERNEL("BatchNormalization", 1, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<BatchNormalization>(b); });

}  // namespace neuropipe::nn::ops
