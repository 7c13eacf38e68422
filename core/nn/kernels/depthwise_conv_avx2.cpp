// Depthwise kernel for AVX2 + FMA: 8 lanes, the shared code of depthwise_conv_lanes.hpp.
// No FMA contraction: a multiply and an add per tap round exactly like the row
// kernel (depthwise_conv.cpp), so the choice between the two never changes a
// result (fused rounding reordered near-tied Faster R-CNN MobileNetV3 detections).
// (-ffp-contract=off comes from core/CMakeLists.txt: clang ignores GCC optimize pragmas.)
#include "nn/kernels/depthwise_conv_lanes.hpp"

namespace neuropipe::nn::kernels {

namespace {
typedef float Floats __attribute__((vector_size(32)));
}  // namespace

const DepthwiseKernel& depthwise_kernel_avx2() {
  static const DepthwiseKernel kernel{Isa::avx2, depthwise_lanes::kUnroll * depthwise_lanes::width<Floats>(),
                                      depthwise_lanes::plane<Floats>};
  return kernel;
}

}  // namespace neuropipe::nn::kernels
