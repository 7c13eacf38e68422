// MaxPool row and column kernels for AVX2: 8 lanes (max_pool_row_lanes.hpp).
#include "nn/kernels/max_pool_row_lanes.hpp"

namespace neuropipe::nn::kernels {

namespace {
typedef float Floats __attribute__((vector_size(32)));
}  // namespace

MaxPoolKernels max_pool_kernels_avx2() { return max_pool_lanes::kernels<Floats>(); }

}  // namespace neuropipe::nn::kernels
