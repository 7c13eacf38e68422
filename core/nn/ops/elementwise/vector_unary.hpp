#pragma once
// Element functors backed by the vectorised math kernels (nn/kernels/vector_math.hpp):
// float tensors go through the span function of the engine's ISA, other types
// through the plain element operator.
#include <cstdint>

#include "nn/kernels/vector_math.hpp"

namespace neuropipe::nn::ops {

template <class Scalar>
struct VectorisedUnary {
  Scalar scalar;
  kernels::SpanFunction kernels::VectorMath::*vector;

  template <class T>
  T operator()(T x) const {
    return scalar(x);
  }
  void span(const float* in, float* out, int64_t n) const {
    (kernels::best_vector_math().*vector)(in, out, n);
  }
};

template <class Scalar>
VectorisedUnary<Scalar> vectorised(Scalar scalar, kernels::SpanFunction kernels::VectorMath::*vector) {
  return VectorisedUnary<Scalar>{scalar, vector};
}

}  // namespace neuropipe::nn::ops
