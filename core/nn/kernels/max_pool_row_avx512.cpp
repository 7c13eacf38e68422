// MaxPool row and column kernels for AVX-512: 16 lanes (max_pool_row_lanes.hpp).
#include "nn/kernels/max_pool_row_lanes.hpp"

namespace neuropipe::nn::kernels {

namespace {
typedef float Floats __attribute__((vector_size(64)));
}  // namespace

MaxPoolKernels max_pool_kernels_avx512() { return max_pool_lanes::kernels<Floats>(); }

}  // namespace neuropipe::nn::kernels
