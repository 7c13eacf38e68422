#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>

#include "neuropipe/error.hpp"
#include "neuropipe/nn/tensor.hpp"

using namespace neuropipe::nn;

TEST_CASE("half -> float -> half is exact for every finite half and keeps inf/nan", "[nn][tensor]") {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    float f = half_to_float(static_cast<uint16_t>(h));
    bool is_nan = (h & 0x7C00) == 0x7C00 && (h & 0x3FF);
    if (is_nan) {
      REQUIRE(std::isnan(f));
      REQUIRE(std::isnan(half_to_float(float_to_half(f))));
    } else {
      REQUIRE(float_to_half(f) == h);
    }
  }
  CHECK(half_to_float(0x0001) == std::ldexp(1.f, -24));  // smallest subnormal
  CHECK(half_to_float(0x7BFF) == 65504.f);
}

TEST_CASE("float -> half rounds to nearest even and saturates to inf", "[nn][tensor]") {
  CHECK(float_to_half(1.f + std::ldexp(1.f, -11)) == 0x3C00);                         // tie, even stays
  CHECK(float_to_half(1.f + 3 * std::ldexp(1.f, -11)) == 0x3C02);                     // tie, odd rounds up
  CHECK(float_to_half(65520.f) == 0x7C00);                                             // rounds past max
  CHECK(float_to_half(std::ldexp(1.f, -25)) == 0x0000);                                // tie to even zero
  CHECK(float_to_half(std::ldexp(1.5f, -25)) == 0x0001);
  CHECK(float_to_half(-0.f) == 0x8000);
}

TEST_CASE("Tensor conversions saturate floats to ints and views share memory", "[nn][tensor]") {
  Tensor f = Tensor::from_vector<float>({1.5f, -2.7f, 1e20f, NAN}, {4});
  Tensor i = f.to(DType::i32);
  CHECK(i.data<int32_t>()[0] == 1);
  CHECK(i.data<int32_t>()[1] == -2);
  CHECK(i.data<int32_t>()[2] == INT32_MAX);
  CHECK(i.data<int32_t>()[3] == 0);
  CHECK(f.to(DType::f16).to(DType::f32).data<float>()[0] == 1.5f);
  CHECK(Tensor::from_vector<int64_t>({3, 0}, {2}).to(DType::boolean).data<bool>()[1] == false);
  Tensor r = f.reshaped({2, 2});
  CHECK(r.raw() == f.raw());
  CHECK_THROWS_AS(f.reshaped({3}), neuropipe::Error);
  CHECK(f.clone().raw() != f.raw());
  CHECK(shape_to_string({1, -1, 3}) == "[1,?,3]");
}

TEST_CASE("shape_numel refuses element counts int64 cannot hold", "[nn][tensor]") {
  CHECK(shape_numel({3, 4, 5}) == 60);
  // Found by tests/fuzz: dims from a damaged file multiplied past int64 (undefined behaviour).
  REQUIRE_THROWS_AS(shape_numel({int64_t{1} << 40, int64_t{1} << 40}), neuropipe::Error);
  REQUIRE_THROWS_WITH(shape_numel({1715028759774330, 8272}), Catch::Contains("too many elements"));
}
