#pragma once
// The `reduction` attribute of ScatterElements / ScatterND (opset 16, 18):
// how an update combines with the value already at its target.
#include <algorithm>
#include <string>

#include "nn/kernel.hpp"
#include "nn/ops/common/dtype_dispatch.hpp"

namespace neuropipe::nn::ops {

enum class Reduction { none, add, mul, max, min };

inline Reduction parse_reduction(const KernelBuildContext& b) {
  const std::string r = b.attributes().get_string("reduction", "none");
  if (r == "none") return Reduction::none;
  if (r == "add") return Reduction::add;
  if (r == "mul") return Reduction::mul;
  if (r == "max") return Reduction::max;
  if (r != "min") b.fail("unknown reduction '" + r + "' (expected none, add, mul, max or min)");
  return Reduction::min;
}

template <class T>
void reduce_into(T& target, T update, Reduction r) {
  switch (r) {
    case Reduction::none:
      target = update;
      return;
    case Reduction::add:
      target = static_cast<T>(target + update);
      return;
    case Reduction::mul:
      target = static_cast<T>(target * update);
      return;
    case Reduction::max:
      target = std::max(target, update);
      return;
    case Reduction::min:
      target = std::min(target, update);
      return;
  }
}

}  // namespace neuropipe::nn::ops
