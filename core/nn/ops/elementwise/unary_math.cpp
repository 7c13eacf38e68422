// The one-input math family: sign and magnitude, roots, exponentials,
// rounding, trigonometry, Erf, and the IsNaN / IsInf tests.
#include <cmath>
#include <limits>
#include <type_traits>

#include "nn/ops/elementwise/unary.hpp"
#include "nn/ops/elementwise/vector_unary.hpp"

namespace neuropipe::nn::ops {
namespace {

constexpr int64_t kCostly = kCostlyGrain;

struct Absolute {
  template <class T>
  T operator()(T x) const {
    if constexpr (std::is_unsigned_v<T>) {
      return x;
    } else {
      return x < T(0) ? T(-x) : x;
    }
  }
};

struct Signum {
  template <class T>
  T operator()(T x) const {
    return static_cast<T>((T(0) < x) - (x < T(0)));
  }
};

NP_REGISTER_KERNEL("Neg", 1, 1000, unary_factory<SignedTypes>([](auto x) { return -x; }));
NP_REGISTER_KERNEL("Abs", 1, 1000, unary_factory<NumericTypes>(Absolute{}));
NP_REGISTER_KERNEL("Sign", 9, 1000, unary_factory<NumericTypes>(Signum{}));
NP_REGISTER_KERNEL("Reciprocal", 1, 1000,
                   unary_factory<FloatTypes>([](auto x) { return decltype(x)(1) / x; }));
NP_REGISTER_KERNEL("Sqrt", 1, 1000, unary_factory<FloatTypes>([](auto x) { return std::sqrt(x); }));
NP_REGISTER_KERNEL("Exp", 1, 1000,
                   unary_factory<FloatTypes>(
                       vectorised([](auto x) { return std::exp(x); }, &kernels::VectorMath::exp), kCostly));
NP_REGISTER_KERNEL("Log", 1, 1000, unary_factory<FloatTypes>([](auto x) { return std::log(x); }, kCostly));
NP_REGISTER_KERNEL("Ceil", 1, 1000, unary_factory<FloatTypes>([](auto x) { return std::ceil(x); }));
NP_REGISTER_KERNEL("Floor", 1, 1000, unary_factory<FloatTypes>([](auto x) { return std::floor(x); }));
// Round halves to even, which is the default floating-point rounding mode.
NP_REGISTER_KERNEL("Round", 11, 1000, unary_factory<FloatTypes>([](auto x) { return std::nearbyint(x); }));
NP_REGISTER_KERNEL("Sin", 7, 1000, unary_factory<FloatTypes>([](auto x) { return std::sin(x); }, kCostly));
NP_REGISTER_KERNEL("Cos", 7, 1000, unary_factory<FloatTypes>([](auto x) { return std::cos(x); }, kCostly));
NP_REGISTER_KERNEL("Tan", 7, 1000, unary_factory<FloatTypes>([](auto x) { return std::tan(x); }, kCostly));
NP_REGISTER_KERNEL("Asin", 7, 1000, unary_factory<FloatTypes>([](auto x) { return std::asin(x); }, kCostly));
NP_REGISTER_KERNEL("Acos", 7, 1000, unary_factory<FloatTypes>([](auto x) { return std::acos(x); }, kCostly));
NP_REGISTER_KERNEL("Atan", 7, 1000, unary_factory<FloatTypes>([](auto x) { return std::atan(x); }, kCostly));
NP_REGISTER_KERNEL("Sinh", 9, 1000, unary_factory<FloatTypes>([](auto x) { return std::sinh(x); }, kCostly));
NP_REGISTER_KERNEL("Cosh", 9, 1000, unary_factory<FloatTypes>([](auto x) { return std::cosh(x); }, kCostly));
NP_REGISTER_KERNEL("Asinh", 9, 1000, unary_factory<FloatTypes>([](auto x) { return std::asinh(x); }, kCostly));
NP_REGISTER_KERNEL("Acosh", 9, 1000, unary_factory<FloatTypes>([](auto x) { return std::acosh(x); }, kCostly));
NP_REGISTER_KERNEL("Atanh", 9, 1000, unary_factory<FloatTypes>([](auto x) { return std::atanh(x); }, kCostly));
NP_REGISTER_KERNEL("Erf", 9, 1000,
                   unary_factory<FloatTypes>(
                       vectorised([](auto x) { return std::erf(x); }, &kernels::VectorMath::erf), kCostly));

NP_REGISTER_KERNEL("IsNaN", 9, 1000,
                   (unary_factory<FloatTypes, ResultType::boolean>([](auto x) { return std::isnan(x); })));
NP_REGISTER_KERNEL("IsInf", 10, 1000,
                   (unary_factory_from_attributes<FloatTypes, ResultType::boolean>([](const KernelBuildContext& b) {
                     const bool negative = b.attributes().get_int("detect_negative", 1) != 0;
                     const bool positive = b.attributes().get_int("detect_positive", 1) != 0;
                     return [negative, positive](auto x) {
                       return std::isinf(x) && (x > 0 ? positive : negative);
                     };
                   })));

}  // namespace
}  // namespace neuropipe::nn::ops
