// ImageScaler (experimental, used by the fast-neural-style models at opset 7):
// y[n, c, ...] = scale * x[n, c, ...] + bias[c] on an NCHW float tensor.
#include <memory>
#include <vector>

#include "nn/kernel.hpp"
#include "nn/ops/common/parallel.hpp"

namespace neuropipe::nn::ops {
namespace {

class ImageScaler final : public Kernel {
 public:
  ImageScaler(float scale, std::vector<float> bias) : scale_(scale), bias_(std::move(bias)) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    if (x.dtype() != DType::f32) ctx.fail(std::string("input must be float, got ") + dtype_name(x.dtype()));
    if (x.rank() < 2 || x.dim(1) != static_cast<int64_t>(bias_.size()))
      ctx.fail("input " + shape_to_string(x.shape()) + " does not have " + std::to_string(bias_.size()) +
               " channels in dim 1, one per bias value");
    Tensor& y = ctx.output(0, DType::f32, x.shape());
    const int64_t channels = x.dim(1), plane = x.numel() == 0 ? 0 : x.numel() / (x.dim(0) * channels);
    const float* in = x.data<float>();
    float* out = y.data<float>();
    parallel_chunks(x.dim(0) * channels, grain_for_cost(plane), [&](int64_t begin, int64_t end) {
      for (int64_t nc = begin; nc < end; ++nc) {
        const float bias = bias_[nc % channels];
        for (int64_t i = nc * plane; i < (nc + 1) * plane; ++i) out[i] = scale_ * in[i] + bias;
      }
    });
  }

 private:
  float scale_;
  std::vector<float> bias_;
};

NP_REGISTER_KERNEL("ImageScaler", 1, 1000, [](const KernelBuildContext& b) -> std::unique_ptr<Kernel> {
  std::vector<float> bias = b.attributes().get_floats("bias");
  if (bias.empty()) b.fail("attribute 'bias' is required (one value per channel)");
  return std::make_unique<ImageScaler>(b.attributes().get_float("scale", 1.0f), std::move(bias));
});

}  // namespace
}  // namespace neuropipe::nn::ops
