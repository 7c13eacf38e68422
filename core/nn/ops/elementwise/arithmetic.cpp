// Add, Sub, Mul, Div: broadcasting arithmetic. Integer Div truncates toward
// zero like C++ (and ONNX Runtime); dividing by zero, or the one overflowing
// case INT_MIN / -1, would trap the CPU, so those give 0 and INT_MIN instead.
#include <type_traits>

#include "nn/ops/elementwise/binary.hpp"

namespace neuropipe::nn::ops {
namespace {

struct Divide {
  template <class T>
  T operator()(T a, T b) const {
    if constexpr (std::is_integral_v<T>) {
      if (b == 0) return 0;
      if constexpr (std::is_signed_v<T>) {
        if (b == -1) return static_cast<T>(0 - static_cast<std::make_unsigned_t<T>>(a));
      }
    }
    return a / b;
  }
};

// Sum of mixed narrow ints promotes to int; the kernel converts back, wrapping like ONNX Runtime.
NP_REGISTER_KERNEL("Add", 7, 1000, binary_factory<NumericTypes>([](auto a, auto b) { return a + b; }));
NP_REGISTER_KERNEL("Sub", 7, 1000, binary_factory<NumericTypes>([](auto a, auto b) { return a - b; }));
NP_REGISTER_KERNEL("Mul", 7, 1000, binary_factory<NumericTypes>([](auto a, auto b) { return a * b; }));
NP_REGISTER_KERNEL("Div", 7, 1000, binary_factory<NumericTypes>(Divide{}));

}  // namespace
}  // namespace neuropipe::nn::ops
