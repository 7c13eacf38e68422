// Vectorised math for AVX2 (+FMA contraction): 8 lanes, the shared algorithms of vector_math_lanes.hpp.
#include "nn/kernels/vector_math_lanes.hpp"

namespace neuropipe::nn::kernels {

namespace {
typedef float Floats __attribute__((vector_size(32)));
typedef int32_t Ints __attribute__((vector_size(32)));
}  // namespace

const VectorMath& vector_math_avx2() {
  static const VectorMath table = lanes::make_vector_math<Floats, Ints>(Isa::avx2);
  return table;
}

}  // namespace neuropipe::nn::kernels
