// Hardmax (opsets 1-18): 1 at the first maximum of each line, 0 elsewhere,
// along the axis rule of softmax_axis.hpp.
#include "nn/ops/dense/softmax_axis.hpp"

namespace neuropipe::nn::ops {

namespace {

struct HardmaxLine {
  void operator()(const float* in, float* out, int64_t n, int64_t stride) const {
    int64_t best = 0;
    for (int64_t i = 1; i < n; ++i)
      if (in[i * stride] > in[best * stride]) best = i;
    for (int64_t i = 0; i < n; ++i) out[i * stride] = i == best ? 1.f : 0.f;
  }
};

}  // namespace

NP_REGISTER_KERNEL("Hardmax", 1, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<LineKernel<HardmaxLine>>(b); });

}  // namespace neuropipe::nn::ops
