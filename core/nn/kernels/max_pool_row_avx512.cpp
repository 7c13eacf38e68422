// Stride-2 MaxPool row kernel for AVX-512: 16 lanes (max_pool_row_lanes.hpp).
#include "nn/kernels/max_pool_row_lanes.hpp"

namespace neuropipe::nn::kernels {

namespace {
typedef float Floats __attribute__((vector_size(64)));
}  // namespace

MaxPoolRowKernel max_pool_row_kernel_avx512() { return max_pool_lanes::row_stride2<Floats>; }

}  // namespace neuropipe::nn::kernels
