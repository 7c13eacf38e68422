// Affine (experimental, opset 1-9): y = alpha * x + beta.
#include "nn/ops/elementwise/unary.hpp"

namespace neuropipe::nn::ops {
namespace {

NP_REGISTER_KERNEL("Affine", 1, 1000, unary_factory_from_attributes<FloatTypes>([](const KernelBuildContext& b) {
  const float alpha = b.attributes().get_float("alpha", 1.0f);
  const float beta = b.attributes().get_float("beta", 0.0f);
  return [alpha, beta](auto x) {
    using T = decltype(x);
    return T(alpha) * x + T(beta);
  };
}));

}  // namespace
}  // namespace neuropipe::nn::ops
