// Vectorised math for AVX-512: 16 lanes, the shared algorithms of vector_math_lanes.hpp.
#include "nn/kernels/vector_math_lanes.hpp"

namespace neuropipe::nn::kernels {

namespace {
typedef float Floats __attribute__((vector_size(64)));
typedef int32_t Ints __attribute__((vector_size(64)));
}  // namespace

const VectorMath& vector_math_avx512() {
  static const VectorMath table = lanes::make_vector_math<Floats, Ints>(Isa::avx512);
  return table;
}

}  // namespace neuropipe::nn::kernels
