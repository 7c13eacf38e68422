// LayerNormalization (opset 17+): every row X[i, axis:] normalised by its mean
// and population variance, then Scale and B (shaped like the row, or scalars).
// Optional outputs Mean and InvStdDev have X's shape with 1s from `axis` on.
#include <cmath>
#include <memory>

#include "nn/ops/dense/dense_op_support.hpp"

namespace neuropipe::nn::ops {

namespace {

class LayerNormalization final : public Kernel {
 public:
  explicit LayerNormalization(const KernelBuildContext& b)
      : axis_(b.attributes().get_int("axis", -1)), epsilon_(b.attributes().get_float("epsilon", 1e-5f)) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = float_input(ctx, 0, "X");
    const Tensor& scale = float_input(ctx, 1, "Scale");
    const Tensor* bias = optional_float_input(ctx, 2, "B");
    const size_t axis = normalize_axis(ctx, axis_, x.rank());
    const int64_t rows = dims_product(x.shape(), 0, axis), width = dims_product(x.shape(), axis, x.rank());
    check_affine(ctx, scale, width, "Scale");
    if (bias) check_affine(ctx, *bias, width, "B");
    Tensor& y = ctx.output(0, DType::f32, x.shape());
    Shape stat_shape = x.shape();
    for (size_t d = axis; d < stat_shape.size(); ++d) stat_shape[d] = 1;
    Tensor* mean_tensor = optional_output(ctx, 1, DType::f32, stat_shape);
    Tensor* inv_tensor = optional_output(ctx, 2, DType::f32, stat_shape);
    float* mean_out = mean_tensor ? mean_tensor->data<float>() : nullptr;
    float* inv_out = inv_tensor ? inv_tensor->data<float>() : nullptr;
    const float* s = scale.data<float>();
    const float* b = bias ? bias->data<float>() : nullptr;
    const int64_t s_step = scale.numel() == 1 ? 0 : 1, b_step = bias && bias->numel() == 1 ? 0 : 1;
    parallel_chunks(rows, grain_for_cost(width), [&](int64_t begin, int64_t end) {
      for (int64_t r = begin; r < end; ++r) {
        const float* in = x.data<float>() + r * width;
        float* out = y.data<float>() + r * width;
        double sum = 0, sq = 0;
        for (int64_t i = 0; i < width; ++i) sum += in[i], sq += double(in[i]) * in[i];
        const double mean = sum / static_cast<double>(width),
                     var = sq / static_cast<double>(width) - mean * mean;
        const float inv = static_cast<float>(1.0 / std::sqrt(var + epsilon_)), m = static_cast<float>(mean);
        for (int64_t i = 0; i < width; ++i)
          out[i] = (in[i] - m) * inv * s[i * s_step] + (b ? b[i * b_step] : 0.f);
        if (mean_out) mean_out[r] = m;
        if (inv_out) inv_out[r] = inv;
      }
    });
  }

 private:
  static void check_affine(const KernelContext& ctx, const Tensor& t, int64_t width, const char* name) {
    if (t.numel() != width && t.numel() != 1)
      ctx.fail(std::string(name) + " " + shape_to_string(t.shape()) + " must have " + std::to_string(width) +
               " values (the normalised shape) or 1");
  }

  int64_t axis_;
  float epsilon_;
};

}  // namespace

NP_REGISTER_KERNEL("LayerNormalization", 17, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<LayerNormalization>(b); });

}  // namespace neuropipe::nn::ops
