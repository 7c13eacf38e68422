// Bit operations on integers: BitShift (direction attribute) and
// BitwiseAnd / BitwiseOr / BitwiseXor / BitwiseNot.
#include <string>

#include "nn/ops/elementwise/binary.hpp"

namespace neuropipe::nn::ops {
namespace {

// Shifting by the type's width or more is undefined in C++; it gives 0, as every bit was shifted out.
KernelFactory bit_shift_factory() {
  return binary_factory_from_attributes<UnsignedIntTypes>([](const KernelBuildContext& b) {
    const std::string direction = b.attributes().get_string("direction", "");
    if (direction != "LEFT" && direction != "RIGHT")
      b.fail("attribute 'direction' must be \"LEFT\" or \"RIGHT\", got \"" + direction + "\"");
    const bool left = direction == "LEFT";
    return [left](auto x, auto n) -> decltype(x) {
      if (n >= sizeof(x) * 8) return 0;
      return left ? x << n : x >> n;
    };
  });
}

NP_REGISTER_KERNEL("BitShift", 11, 1000, bit_shift_factory());
NP_REGISTER_KERNEL("BitwiseAnd", 18, 1000, binary_factory<IntTypes>([](auto a, auto b) { return a & b; }));
NP_REGISTER_KERNEL("BitwiseOr", 18, 1000, binary_factory<IntTypes>([](auto a, auto b) { return a | b; }));
NP_REGISTER_KERNEL("BitwiseXor", 18, 1000, binary_factory<IntTypes>([](auto a, auto b) { return a ^ b; }));
NP_REGISTER_KERNEL("BitwiseNot", 18, 1000, unary_factory<IntTypes>([](auto a) { return ~a; }));

}  // namespace
}  // namespace neuropipe::nn::ops
