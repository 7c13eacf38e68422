// AveragePool without padding (average_pool.cpp: windows wholly inside the
// input run tap-major over whole output rows) against a per-window loop in
// the generic order: 0, then the taps row by row, left to right, divided by
// the taps inside (with no pads, both count_include_pad settings give that).
// Odd shapes, DenseNet's 2x2/2, 3x3 strides 1-3, and ceil mode with and
// without a partial last window (the partial one takes the generic path).
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>

#include "single_node.hpp"

using neuropipe::nn::Shape;
using neuropipe::nn::Tensor;
using neuropipe::test::floats;
using neuropipe::test::SingleNode;
using neuropipe::test::values;

namespace {

struct AvgCase {
  int64_t h, w, k_h, k_w, s_h, s_w;
  bool ceil;
};

int64_t out_size(int64_t in, int64_t k, int64_t s, bool ceil) {
  int64_t out = (ceil ? (in - k + s - 1) / s : (in - k) / s) + 1;
  if (ceil && (out - 1) * s >= in) --out;
  return out;
}

std::vector<float> reference_average(const std::vector<float>& x, int64_t planes, const AvgCase& c, int64_t out_h,
                                     int64_t out_w) {
  std::vector<float> y;
  for (int64_t p = 0; p < planes; ++p)
    for (int64_t oh = 0; oh < out_h; ++oh)
      for (int64_t ow = 0; ow < out_w; ++ow) {
        float sum = 0.f;
        int64_t taps = 0;
        for (int64_t y0 = oh * c.s_h; y0 < std::min(c.h, oh * c.s_h + c.k_h); ++y0)
          for (int64_t x0 = ow * c.s_w; x0 < std::min(c.w, ow * c.s_w + c.k_w); ++x0, ++taps)
            sum += x[static_cast<size_t>((p * c.h + y0) * c.w + x0)];
        y.push_back(sum / static_cast<float>(taps));
      }
  return y;
}

}  // namespace

TEST_CASE("AveragePool without padding equals the per-window loop", "[nn][ops][average_pool]") {
  const AvgCase cases[] = {
      {56, 56, 2, 2, 2, 2, false},  // DenseNet transition
      {15, 37, 2, 2, 2, 2, false},  // odd sizes: the last row/column is dropped
      {15, 37, 2, 2, 2, 2, true},   // ceil: partial last windows (generic path)
      {16, 36, 2, 2, 2, 2, true},   // ceil adding nothing
      {9, 23, 3, 3, 1, 1, false},
      {13, 19, 3, 3, 2, 2, false},
      {13, 20, 3, 2, 3, 1, false},
  };
  const int64_t planes = 3;
  int seed = 0;
  for (const AvgCase& c : cases)
    for (int64_t include_pad : {0, 1}) {
      INFO(c.h << "x" << c.w << " k " << c.k_h << "x" << c.k_w << " s " << c.s_h << "x" << c.s_w
                << (c.ceil ? " ceil" : "") << " count_include_pad " << include_pad);
      std::vector<float> x(static_cast<size_t>(planes * c.h * c.w));
      for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>((i * 29 + static_cast<size_t>(seed) * 7) % 97) / 9.7f - 5.f;
      ++seed;
      x[7] = std::nanf("");
      const int64_t out_h = out_size(c.h, c.k_h, c.s_h, c.ceil), out_w = out_size(c.w, c.k_w, c.s_w, c.ceil);
      std::vector<Tensor> y = SingleNode("AveragePool", 11)
                                  .input(floats(x, {1, planes, c.h, c.w}))
                                  .attr("kernel_shape", std::vector<int64_t>{c.k_h, c.k_w})
                                  .attr("strides", std::vector<int64_t>{c.s_h, c.s_w})
                                  .attr("ceil_mode", int64_t{c.ceil ? 1 : 0})
                                  .attr("count_include_pad", include_pad)
                                  .run();
      REQUIRE(y[0].shape() == Shape{1, planes, out_h, out_w});
      const std::vector<float> expected = reference_average(x, planes, c, out_h, out_w);
      const std::vector<float> got = values(y[0]);
      REQUIRE(got.size() == expected.size());
      CHECK(std::memcmp(got.data(), expected.data(), got.size() * sizeof(float)) == 0);
    }
}
