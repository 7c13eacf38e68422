// LogSoftmax (opsets 1-18): x - max - log(sum(exp(x - max))), along the axis
// rule of softmax_axis.hpp; stable for large inputs.
#include <cmath>

#include "nn/ops/dense/softmax_axis.hpp"

namespace neuropipe::nn::ops {

namespace {

struct LogSoftmaxLine {
  void operator()(const float* in, float* out, int64_t n, int64_t stride) const {
    float max = in[0];
    for (int64_t i = 1; i < n; ++i) max = std::max(max, in[i * stride]);
    float sum = 0.f;
    for (int64_t i = 0; i < n; ++i) sum += std::exp(in[i * stride] - max);
    const float shift = max + std::log(sum);
    for (int64_t i = 0; i < n; ++i) out[i * stride] = in[i * stride] - shift;
  }
};

}  // namespace

NP_REGISTER_KERNEL("LogSoftmax", 1, 1000, [](const KernelBuildContext& b) {
  return std::make_unique<LineKernel<LogSoftmaxLine>>(b);
});

}  // namespace neuropipe::nn::ops
