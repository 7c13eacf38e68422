// Softmax (opsets 1-18): exp(x - max) / sum, along the axis rule of softmax_axis.hpp.
#include <cmath>

#include "nn/ops/dense/softmax_axis.hpp"

namespace neuropipe::nn::ops {

namespace {

struct SoftmaxLine {
  void operator()(const float* in, float* out, int64_t n, int64_t stride) const {
    float max = in[0];
    for (int64_t i = 1; i < n; ++i) max = std::max(max, in[i * stride]);
    float sum = 0.f;
    for (int64_t i = 0; i < n; ++i) sum += out[i * stride] = std::exp(in[i * stride] - max);
    const float inv = 1.f / sum;
    for (int64_t i = 0; i < n; ++i) out[i * stride] *= inv;
  }
};

}  // namespace

NP_REGISTER_KERNEL("Softmax", 1, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<LineKernel<SoftmaxLine>>(b); });

}  // namespace neuropipe::nn::ops
