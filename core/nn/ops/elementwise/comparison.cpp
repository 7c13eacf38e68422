// Equal, Less, LessOrEqual, Greater, GreaterOrEqual: broadcasting, bool result.
#include "nn/ops/elementwise/binary.hpp"

namespace neuropipe::nn::ops {
namespace {

constexpr auto kBool = ResultType::boolean;

NP_REGISTER_KERNEL("Equal", 7, 1000, (binary_factory<AllTypes, kBool>([](auto a, auto b) { return a == b; })));
NP_REGISTER_KERNEL("Less", 7, 1000, (binary_factory<NumericTypes, kBool>([](auto a, auto b) { return a < b; })));
NP_REGISTER_KERNEL("LessOrEqual", 12, 1000,
                   (binary_factory<NumericTypes, kBool>([](auto a, auto b) { return a <= b; })));
NP_REGISTER_KERNEL("Greater", 7, 1000,
                   (binary_factory<NumericTypes, kBool>([](auto a, auto b) { return a > b; })));
NP_REGISTER_KERNEL("GreaterOrEqual", 12, 1000,
                   (binary_factory<NumericTypes, kBool>([](auto a, auto b) { return a >= b; })));

}  // namespace
}  // namespace neuropipe::nn::ops
