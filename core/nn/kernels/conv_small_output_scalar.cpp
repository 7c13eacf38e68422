// Small-output convolution for the baseline target (SSE2 on x86-64): 4 lanes, the shared code of
// conv_small_output_lanes.hpp.
#include "nn/kernels/conv_small_output_lanes.hpp"

namespace neuropipe::nn::kernels {

namespace {
typedef float Floats __attribute__((vector_size(16)));
}  // namespace

const SmallOutputKernel& small_output_kernel_scalar() {
  static const SmallOutputKernel kernel{Isa::scalar, 4 * depthwise_lanes::width<Floats>(),
                                        small_output_lanes::rows<Floats>};
  return kernel;
}

}  // namespace neuropipe::nn::kernels
