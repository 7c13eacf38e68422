// Small-output convolution for AVX2 + FMA: 8 lanes, the shared code of conv_small_output_lanes.hpp.
#include "nn/kernels/conv_small_output_lanes.hpp"

namespace neuropipe::nn::kernels {

namespace {
typedef float Floats __attribute__((vector_size(32)));
}  // namespace

const SmallOutputKernel& small_output_kernel_avx2() {
  static const SmallOutputKernel kernel{Isa::avx2, 4 * depthwise_lanes::width<Floats>(),
                                        small_output_lanes::rows<Floats>};
  return kernel;
}

}  // namespace neuropipe::nn::kernels
