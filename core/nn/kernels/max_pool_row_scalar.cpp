// MaxPool row and column kernels for the baseline target (SSE2 on x86-64): 4 lanes (max_pool_row_lanes.hpp).
#include "nn/kernels/max_pool_row_lanes.hpp"

namespace neuropipe::nn::kernels {

namespace {
typedef float Floats __attribute__((vector_size(16)));
}  // namespace

MaxPoolKernels max_pool_kernels_scalar() { return max_pool_lanes::kernels<Floats>(); }

}  // namespace neuropipe::nn::kernels
