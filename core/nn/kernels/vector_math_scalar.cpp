// Vectorised math for the baseline SSE2 target: 4 lanes, the shared algorithms of vector_math_lanes.hpp.
#include "nn/kernels/vector_math_lanes.hpp"

namespace neuropipe::nn::kernels {

namespace {
typedef float Floats __attribute__((vector_size(16)));
typedef int32_t Ints __attribute__((vector_size(16)));
}  // namespace

const VectorMath& vector_math_scalar() {
  static const VectorMath table = lanes::make_vector_math<Floats, Ints>(Isa::scalar);
  return table;
}

}  // namespace neuropipe::nn::kernels
