// Reduction geometry: axis normalisation, output shapes, and the three
// layouts' element walks against a naive "which output does each input feed".
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <vector>

#include "neuropipe/error.hpp"
#include "nn/ops/reduce/reduce_geometry.hpp"

using namespace neuropipe;
using namespace neuropipe::nn;
using namespace neuropipe::nn::ops;

namespace {

// For each output index, the sorted list of input offsets reduced into it, walked naively.
std::map<int64_t, std::vector<int64_t>> naive_groups(const Shape& shape, const std::vector<int64_t>& axes) {
  const Shape out = reduced_shape(shape, axes, true);
  std::map<int64_t, std::vector<int64_t>> groups;
  for (int64_t flat = 0; flat < shape_numel(shape); ++flat) {
    int64_t rest = flat, out_index = 0, out_stride = 1;
    for (size_t d = shape.size(); d-- > 0;) {
      const int64_t i = rest % shape[d];
      rest /= shape[d];
      out_index += (out[d] == 1 ? 0 : i) * out_stride;
      out_stride *= out[d];
    }
    groups[out_index].push_back(flat);
  }
  return groups;
}

// The same, walked through a ReduceGeometry the way the kernels walk it.
std::map<int64_t, std::vector<int64_t>> geometry_groups(const ReduceGeometry& g) {
  std::map<int64_t, std::vector<int64_t>> groups;
  using L = ReduceGeometry::Layout;
  for (int64_t o = 0; o < g.outer; ++o) {
    if (g.layout == L::trailing) {
      for (int64_t r = 0; r < g.reduced; ++r) groups[o].push_back(o * g.reduced + r);
    } else if (g.layout == L::middle) {
      for (int64_t i = 0; i < g.inner; ++i)
        for (int64_t r = 0; r < g.reduced; ++r) groups[o * g.inner + i].push_back((o * g.reduced + r) * g.inner + i);
    } else {
      for (int64_t offset : g.reduced_offsets) groups[o].push_back(g.base_offset(o) + offset);
    }
  }
  for (auto& [o, v] : groups) std::sort(v.begin(), v.end());
  return groups;
}

}  // namespace

TEST_CASE("normalize_axes wraps, sorts, de-duplicates and names bad axes", "[reduce]") {
  CHECK(normalize_axes({-1, 0, 2, 0}, 3) == std::vector<int64_t>{0, 2});
  CHECK_THROWS_WITH(normalize_axes({3}, 3), Catch::Contains("axis 3") && Catch::Contains("rank 3"));
  CHECK(reduced_shape({2, 3, 4}, {1}, true) == Shape{2, 1, 4});
  CHECK(reduced_shape({2, 3, 4}, {0, 2}, false) == Shape{3});
}

TEST_CASE("ReduceGeometry picks the expected layout and visits every element once", "[reduce]") {
  using L = ReduceGeometry::Layout;
  struct Case {
    Shape shape;
    std::vector<int64_t> axes;
    L layout;
  };
  const std::vector<Case> cases = {
      {{2, 3, 4}, {2}, L::trailing},      {{2, 3, 4}, {1, 2}, L::trailing}, {{2, 3, 4}, {0, 1, 2}, L::trailing},
      {{2, 3, 4}, {1}, L::middle},        {{2, 3, 4}, {0}, L::middle},      {{2, 3, 1, 4}, {1, 2}, L::middle},
      {{2, 3, 4}, {0, 2}, L::general},    {{2, 3, 4, 5}, {1, 3}, L::general}, {{3, 1, 4}, {1}, L::trailing},
      {{2, 3, 4, 5}, {0, 2}, L::general}};
  for (const auto& c : cases) {
    INFO(shape_to_string(c.shape));
    const ReduceGeometry g(c.shape, c.axes);
    CHECK(g.layout == c.layout);
    CHECK(geometry_groups(g) == naive_groups(c.shape, c.axes));
  }
}

TEST_CASE("split_at_axis gives outer, axis and inner sizes", "[reduce]") {
  const AxisSplit s = split_at_axis({2, 3, 4, 5}, 2);
  CHECK(s.outer == 6);
  CHECK(s.axis == 4);
  CHECK(s.inner == 5);
}
