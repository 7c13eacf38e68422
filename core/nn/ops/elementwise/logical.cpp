// Boolean logic: And, Or, Xor (broadcasting) and Not.
#include "nn/ops/elementwise/binary.hpp"

namespace neuropipe::nn::ops {
namespace {

using Bool = TypeList<bool>;

NP_REGISTER_KERNEL("And", 7, 1000, binary_factory<Bool>([](bool a, bool b) { return a && b; }));
NP_REGISTER_KERNEL("Or", 7, 1000, binary_factory<Bool>([](bool a, bool b) { return a || b; }));
NP_REGISTER_KERNEL("Xor", 7, 1000, binary_factory<Bool>([](bool a, bool b) { return a != b; }));
NP_REGISTER_KERNEL("Not", 1, 1000, unary_factory<Bool>([](bool a) { return !a; }));

}  // namespace
}  // namespace neuropipe::nn::ops
