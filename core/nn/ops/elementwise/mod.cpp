// Mod: with fmod=0 the result takes the divisor's sign (Python's %), with
// fmod=1 the dividend's (C's fmod / %). A zero integer divisor would trap the
// CPU, so it gives 0.
#include <cmath>
#include <type_traits>

#include "nn/ops/elementwise/binary.hpp"

namespace neuropipe::nn::ops {
namespace {

template <class T>
T truncated_mod(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    return std::fmod(a, b);
  } else {
    if (b == 0) return 0;
    if constexpr (std::is_signed_v<T>) {
      if (b == -1) return 0;  // INT_MIN % -1 traps
    }
    return a % b;
  }
}

template <class T>
T floored_mod(T a, T b) {
  const T r = truncated_mod(a, b);
  if constexpr (std::is_unsigned_v<T>) {
    return r;
  } else {
    return r != T(0) && ((r < T(0)) != (b < T(0))) ? r + b : r;
  }
}

NP_REGISTER_KERNEL("Mod", 10, 1000, binary_factory_from_attributes<NumericTypes>([](const KernelBuildContext& b) {
  const int64_t fmod = b.attributes().get_int("fmod", 0);
  if (fmod != 0 && fmod != 1) b.fail("attribute 'fmod' must be 0 or 1, got " + std::to_string(fmod));
  return [fmod](auto x, auto y) { return fmod ? truncated_mod(x, y) : floored_mod(x, y); };
}));

}  // namespace
}  // namespace neuropipe::nn::ops
