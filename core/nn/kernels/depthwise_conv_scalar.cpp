// Depthwise kernel for the baseline target (SSE2 on x86-64): 4 lanes, the shared code of
// depthwise_conv_lanes.hpp. No FMA contraction: a multiply and an add per tap round exactly like the row
// kernel (depthwise_conv.cpp), so the choice between the two never changes a
// result (fused rounding reordered near-tied Faster R-CNN MobileNetV3 detections).
// (-ffp-contract=off comes from core/CMakeLists.txt: clang ignores GCC optimize pragmas.)
#include "nn/kernels/depthwise_conv_lanes.hpp"

namespace neuropipe::nn::kernels {

namespace {
typedef float Floats __attribute__((vector_size(16)));
}  // namespace

const DepthwiseKernel& depthwise_kernel_scalar() {
  static const DepthwiseKernel kernel{Isa::scalar,
                                      depthwise_lanes::kUnroll * depthwise_lanes::width<Floats>(),
                                      depthwise_lanes::plane<Floats>};
  return kernel;
}

}  // namespace neuropipe::nn::kernels
