// Vectorised exp / sigmoid / tanh / erf / gelu against the C library in double,
// on every ISA this CPU has: a sweep over the whole useful range, tails that
// are not a multiple of the vector width, and the special values (NaN, +-inf,
// +-0, denormal results, the overflow edge).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "nn/kernels/vector_math.hpp"

using namespace neuropipe::nn::kernels;

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

// Distance in units in the last place between two finite floats of any sign.
int64_t ulp_distance(float a, float b) {
  auto ordered = [](float v) {
    int32_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    return bits < 0 ? -int64_t(bits & 0x7fffffff) : int64_t(bits);
  };
  return std::llabs(ordered(a) - ordered(b));
}

std::vector<float> sweep_inputs(float lo, float hi) {
  std::vector<float> x;
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> wide(lo, hi), narrow(-2.f, 2.f);
  for (int i = 0; i < 100000; ++i) x.push_back(wide(rng));
  for (int i = 0; i < 50000; ++i) x.push_back(narrow(rng));
  for (float v = 1e-30f; v < 1.f; v *= 1.7f) x.push_back(v), x.push_back(-v);
  return x;
}

struct Accuracy {
  int64_t worst_ulp = 0;
  float worst_input = 0;
};

// Worst ulp error of `fn` against `reference` (in double, rounded to float) on `x`.
Accuracy measure(SpanFunction fn, double (*reference)(double), const std::vector<float>& x) {
  std::vector<float> y(x.size());
  fn(x.data(), y.data(), static_cast<int64_t>(x.size()));
  Accuracy acc;
  for (size_t i = 0; i < x.size(); ++i) {
    const int64_t d = ulp_distance(y[i], static_cast<float>(reference(x[i])));
    if (d > acc.worst_ulp) acc.worst_ulp = d, acc.worst_input = x[i];
  }
  return acc;
}

double ref_exp(double x) { return std::exp(x); }
double ref_sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double ref_tanh(double x) { return std::tanh(x); }
double ref_erf(double x) { return std::erf(x); }
double ref_gelu(double x) { return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0))); }

float apply(SpanFunction fn, float x) {
  float y;
  fn(&x, &y, 1);
  return y;
}

}  // namespace

TEST_CASE("vectorised exp, sigmoid, tanh, erf are within a few ulp of the C library on every ISA",
          "[vector_math]") {
  for (Isa isa : supported_isas()) {
    const VectorMath& vm = vector_math(isa);
    INFO("isa " << isa_name(isa));
    const Accuracy e = measure(vm.exp, ref_exp, sweep_inputs(-103.f, 88.7f));
    INFO("exp worst " << e.worst_ulp << " ulp at " << e.worst_input);
    CHECK(e.worst_ulp <= 2);
    const Accuracy s = measure(vm.sigmoid, ref_sigmoid, sweep_inputs(-100.f, 40.f));
    INFO("sigmoid worst " << s.worst_ulp << " ulp at " << s.worst_input);
    CHECK(s.worst_ulp <= 3);
    const Accuracy t = measure(vm.tanh, ref_tanh, sweep_inputs(-12.f, 12.f));
    INFO("tanh worst " << t.worst_ulp << " ulp at " << t.worst_input);
    CHECK(t.worst_ulp <= 4);
    const Accuracy r = measure(vm.erf, ref_erf, sweep_inputs(-5.f, 5.f));
    INFO("erf worst " << r.worst_ulp << " ulp at " << r.worst_input);
    CHECK(r.worst_ulp <= 4);
  }
}

TEST_CASE("vectorised gelu matches 0.5 x (1 + erf(x / sqrt 2)) on every ISA", "[vector_math]") {
  const std::vector<float> x = sweep_inputs(-12.f, 12.f);
  for (Isa isa : supported_isas()) {
    INFO("isa " << isa_name(isa));
    std::vector<float> y(x.size());
    vector_math(isa).gelu(x.data(), y.data(), static_cast<int64_t>(x.size()));
    double worst = 0;  // relative to max(1, |x|): 1 + erf(x) cancels for x << 0 in any float Gelu
    for (size_t i = 0; i < x.size(); ++i)
      worst = std::max(worst, std::abs(y[i] - ref_gelu(x[i])) / std::max(1.0, std::abs(double(x[i]))));
    CHECK(worst < 5e-7);
  }
}

TEST_CASE("vectorised math: NaN, infinities, signed zero and the range edges", "[vector_math]") {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (Isa isa : supported_isas()) {
    const VectorMath& vm = vector_math(isa);
    INFO("isa " << isa_name(isa));
    for (SpanFunction fn : {vm.exp, vm.sigmoid, vm.tanh, vm.erf, vm.gelu}) CHECK(std::isnan(apply(fn, nan)));
    CHECK(apply(vm.exp, kInf) == kInf);
    CHECK(apply(vm.exp, -kInf) == 0.f);
    CHECK(apply(vm.exp, 0.f) == 1.f);
    CHECK(apply(vm.exp, 88.8f) == kInf);
    CHECK(apply(vm.exp, 88.72f) == Approx(std::exp(88.72f)).epsilon(3e-7));
    CHECK(apply(vm.exp, -95.f) == Approx(std::exp(-95.f)).epsilon(1e-5));  // a denormal result
    CHECK(apply(vm.exp, -110.f) == 0.f);
    CHECK(apply(vm.sigmoid, kInf) == 1.f);
    CHECK(apply(vm.sigmoid, -kInf) == 0.f);
    CHECK(apply(vm.sigmoid, 0.f) == 0.5f);
    CHECK(apply(vm.tanh, kInf) == 1.f);
    CHECK(apply(vm.tanh, -kInf) == -1.f);
    CHECK(std::signbit(apply(vm.tanh, -0.f)));
    CHECK(apply(vm.erf, kInf) == 1.f);
    CHECK(apply(vm.erf, -kInf) == -1.f);
    CHECK(std::signbit(apply(vm.erf, -0.f)));
  }
}

TEST_CASE("vectorised math handles every tail length, in place", "[vector_math]") {
  for (Isa isa : supported_isas()) {
    INFO("isa " << isa_name(isa));
    for (int64_t n = 1; n <= 40; ++n) {
      std::vector<float> x(static_cast<size_t>(n) + 1, 99.f);  // one sentinel past the end
      for (int64_t i = 0; i < n; ++i) x[static_cast<size_t>(i)] = 0.1f * static_cast<float>(i) - 2.f;
      const std::vector<float> in = x;
      vector_math(isa).tanh(x.data(), x.data(), n);
      INFO("n " << n);
      for (int64_t i = 0; i < n; ++i)
        CHECK(x[static_cast<size_t>(i)] == Approx(std::tanh(in[static_cast<size_t>(i)])).epsilon(1e-6));
      CHECK(x.back() == 99.f);
    }
  }
}
