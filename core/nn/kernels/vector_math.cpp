// The dispatch table of the vectorised math functions, picked once from best_isa().
#include "nn/kernels/vector_math.hpp"

#include <string>

#include "neuropipe/error.hpp"

namespace neuropipe::nn::kernels {

const VectorMath& vector_math(Isa isa) {
  if (!cpu_supports(isa)) throw Error(std::string("vector math: this CPU does not support ") + isa_name(isa));
  switch (isa) {
    case Isa::avx512:
      return vector_math_avx512();
    case Isa::avx2:
      return vector_math_avx2();
    case Isa::scalar:
      break;
  }
  return vector_math_scalar();
}

const VectorMath& best_vector_math() {
  static const VectorMath& best = vector_math(best_isa());
  return best;
}

}  // namespace neuropipe::nn::kernels
