// Broadcasting: shape rules, and the collapsed plan's loops against a naive
// index-by-index reference over shapes that exercise every collapse case.
#include <catch2/catch.hpp>

#include <numeric>
#include <vector>

#include "neuropipe/error.hpp"
#include "nn/ops/common/broadcast.hpp"

using namespace neuropipe;
using namespace neuropipe::nn;
using namespace neuropipe::nn::ops;

namespace {

// Element of `in` (shape `s`) that output index `flat` of shape `out` reads.
int64_t naive_source(const Shape& s, const Shape& out, int64_t flat) {
  int64_t offset = 0, stride = 1;
  for (size_t d = out.size(); d-- > 0;) {
    const int64_t index = flat % out[d];
    flat /= out[d];
    const size_t sd = d + s.size() - out.size();
    if (d + s.size() >= out.size()) {
      if (s[sd] != 1) offset += index * stride;
      stride *= s[sd];
    }
  }
  return offset;
}

std::vector<int> iota_vector(int64_t n, int start) {
  std::vector<int> v(static_cast<size_t>(n));
  std::iota(v.begin(), v.end(), start);
  return v;
}

}  // namespace

TEST_CASE("broadcast_shape follows numpy rules and names bad shapes", "[broadcast]") {
  CHECK(broadcast_shape({2, 3, 4}, {4}) == Shape{2, 3, 4});
  CHECK(broadcast_shape({2, 1, 4}, {3, 1}) == Shape{2, 3, 4});
  CHECK(broadcast_shape({}, {5}) == Shape{5});
  CHECK(broadcast_shape({0, 3}, {1, 3}) == Shape{0, 3});
  CHECK_THROWS_WITH(broadcast_shape({2, 3}, {4}), Catch::Contains("do not broadcast"));
  CHECK_THROWS_AS(broadcast_shape({2, 3}, {2}), Error);
}

TEST_CASE("broadcast_binary matches a naive reference for every collapse case", "[broadcast]") {
  const std::vector<std::pair<Shape, Shape>> cases = {
      {{2, 3, 4}, {2, 3, 4}}, {{2, 3, 4}, {4}},       {{2, 3, 4}, {3, 1}},    {{1, 3, 1}, {2, 1, 5}},
      {{5}, {}},              {{2, 1, 3, 1}, {1, 4, 1, 6}}, {{7, 1}, {1, 9}}, {{1}, {1}},
      {{3, 1, 2}, {3, 4, 2}}, {{1000, 70}, {70}}};
  for (const auto& [sa, sb] : cases) {
    const Shape out = broadcast_shape(sa, sb);
    const auto a = iota_vector(shape_numel(sa), 1);
    const auto b = iota_vector(shape_numel(sb), 1000);
    std::vector<int> got(static_cast<size_t>(shape_numel(out)));
    broadcast_binary(a.data(), sa, b.data(), sb, got.data(), out, [](int x, int y) { return x * 3 + y; }, 64);
    for (int64_t i = 0; i < shape_numel(out); ++i) {
      INFO("a " << shape_to_string(sa) << " b " << shape_to_string(sb) << " at " << i);
      REQUIRE(got[i] == a[naive_source(sa, out, i)] * 3 + b[naive_source(sb, out, i)]);
    }
  }
}

TEST_CASE("broadcast_ternary and broadcast_copy read the right elements", "[broadcast]") {
  const Shape sc = {2, 1}, sx = {2, 3}, sy = {3}, out = {2, 3};
  const bool c[] = {true, false};
  const auto x = iota_vector(6, 0);
  const auto y = iota_vector(3, 100);
  std::vector<int> got(6);
  broadcast_ternary(c, sc, x.data(), sx, y.data(), sy, got.data(), out, [](bool k, int a, int b) { return k ? a : b; });
  CHECK(got == std::vector<int>{0, 1, 2, 100, 101, 102});
  std::vector<int> copied(6);
  broadcast_copy(y.data(), sy, copied.data(), out);
  CHECK(copied == std::vector<int>{100, 101, 102, 100, 101, 102});
}

TEST_CASE("broadcast strides of an empty tensor with huge dims throw instead of overflowing", "[nn][broadcast]") {
  // Found by tests/fuzz: [0, 2^40, 2^40] holds no element, yet its strides overflow int64.
  const Shape huge = {0, int64_t{1} << 40, int64_t{1} << 40};
  REQUIRE_THROWS_AS(broadcast_strides(huge, huge), Error);
  CHECK(broadcast_strides({1, 3}, {2, 3}) == std::vector<int64_t>{0, 1});
}
