// The plain 2-D float MaxPool path (max_pool.cpp: a column max over the
// window's rows, then per-ISA row kernels; stride 1 with out_w == in_w as one
// call per batch of planes) against a direct per-window loop with the op's
// documented order: per column, the window's first input row, then a later
// row's value when greater; per window, lowest() then each column max when
// greater (so a NaN below the first row, or a NaN column max, is skipped).
// Odd shapes: widths around the vector widths, 7x7 and 14x14 planes,
// asymmetric padding, ceil mode, windows wholly in the padding, more planes
// than one batch.
// tests/nn/ops/CMakeLists.txt runs this once more per forced ISA.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>

#include "single_node.hpp"

using neuropipe::nn::Shape;
using neuropipe::nn::Tensor;
using neuropipe::test::floats;
using neuropipe::test::SingleNode;
using neuropipe::test::values;

namespace {

struct PoolCase {
  int64_t h, w, k_h, k_w, s_h, s_w, pad_top, pad_left, pad_bottom, pad_right;
  bool ceil;
};

// Ceil mode drops a last window that would start in the end padding (ONNX, PyTorch).
int64_t out_size(int64_t in, int64_t k, int64_t s, int64_t pad_begin, int64_t pad_end, bool ceil) {
  const int64_t span = in + pad_begin + pad_end - k;
  int64_t out = (ceil ? (span + s - 1) / s : span / s) + 1;
  if (ceil && (out - 1) * s >= in + pad_begin) --out;
  return out;
}

float window_max(const float* plane, const PoolCase& c, int64_t oh, int64_t ow) {
  const int64_t top = oh * c.s_h - c.pad_top, left = ow * c.s_w - c.pad_left;
  float best = std::numeric_limits<float>::lowest();
  for (int64_t x = std::max<int64_t>(left, 0); x < std::min(c.w, left + c.k_w); ++x) {
    const int64_t y0 = std::max<int64_t>(top, 0), y1 = std::min(c.h, top + c.k_h);
    if (y0 >= y1) continue;
    float column = plane[y0 * c.w + x];
    for (int64_t y = y0 + 1; y < y1; ++y) column = plane[y * c.w + x] > column ? plane[y * c.w + x] : column;
    best = column > best ? column : best;
  }
  return best;
}

std::vector<float> reference_max_pool(const std::vector<float>& x, int64_t planes, const PoolCase& c,
                                      int64_t out_h, int64_t out_w) {
  std::vector<float> y;
  for (int64_t p = 0; p < planes; ++p)
    for (int64_t oh = 0; oh < out_h; ++oh)
      for (int64_t ow = 0; ow < out_w; ++ow) y.push_back(window_max(x.data() + p * c.h * c.w, c, oh, ow));
  return y;
}

std::vector<float> pattern_with_nans(size_t n, int seed) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<float>((i * 37 + static_cast<size_t>(seed) * 11) % 101) - 50.f;
  for (size_t i = 5; i < n; i += 23) v[i] = std::nanf("");
  for (size_t i = 9; i < n; i += 31) v[i] = -std::numeric_limits<float>::infinity();
  return v;
}

std::string describe(const PoolCase& c) {
  std::ostringstream s;
  s << c.h << "x" << c.w << " k " << c.k_h << "x" << c.k_w << " s " << c.s_h << "x" << c.s_w << " pads "
    << c.pad_top << "," << c.pad_left << "," << c.pad_bottom << "," << c.pad_right << (c.ceil ? " ceil" : "");
  return s.str();
}

}  // namespace

TEST_CASE("plain 2-D MaxPool equals the per-window loop on odd shapes", "[nn][ops][max_pool_plane]") {
  const PoolCase cases[] = {
      {28, 28, 3, 3, 1, 1, 1, 1, 1, 1, false},    // GoogLeNet inception branch 4
      {14, 14, 3, 3, 1, 1, 1, 1, 1, 1, false},
      {7, 7, 3, 3, 1, 1, 1, 1, 1, 1, false},
      {9, 17, 3, 3, 1, 1, 0, 2, 2, 0, false},     // asymmetric pads, out_w == in_w
      {11, 19, 5, 5, 1, 1, 2, 2, 2, 2, false},
      {6, 33, 3, 3, 1, 1, 0, 0, 0, 0, false},     // no padding: out_w < in_w, row by row
      {5, 40, 2, 3, 1, 1, 1, 1, 0, 0, true},
      {3, 2, 3, 3, 1, 1, 1, 1, 1, 1, false},      // rows narrower than the window
      {1, 1, 3, 3, 1, 1, 2, 2, 2, 2, false},      // windows wholly in the padding
      {29, 31, 3, 3, 2, 2, 0, 0, 0, 0, true},     // GoogLeNet / SqueezeNet 3x3/2 ceil mode
      {20, 37, 2, 2, 2, 2, 0, 0, 0, 0, false},    // YuNet 2x2/2
      {13, 23, 3, 2, 3, 3, 1, 0, 1, 1, true},     // stride 3
      {17, 18, 3, 3, 2, 1, 1, 1, 1, 1, false},    // different strides per axis
  };
  const int64_t planes = 12;  // 28x28 planes: more than one batch of the same-width path
  int seed = 0;
  for (const PoolCase& c : cases) {
    INFO(describe(c));
    const std::vector<float> x = pattern_with_nans(static_cast<size_t>(planes * c.h * c.w), ++seed);
    const int64_t out_h = out_size(c.h, c.k_h, c.s_h, c.pad_top, c.pad_bottom, c.ceil);
    const int64_t out_w = out_size(c.w, c.k_w, c.s_w, c.pad_left, c.pad_right, c.ceil);
    std::vector<Tensor> y = SingleNode("MaxPool", 12)
                                .input(floats(x, {1, planes, c.h, c.w}))
                                .attr("kernel_shape", std::vector<int64_t>{c.k_h, c.k_w})
                                .attr("strides", std::vector<int64_t>{c.s_h, c.s_w})
                                .attr("pads", std::vector<int64_t>{c.pad_top, c.pad_left, c.pad_bottom, c.pad_right})
                                .attr("ceil_mode", int64_t{c.ceil ? 1 : 0})
                                .run();
    REQUIRE(y[0].shape() == Shape{1, planes, out_h, out_w});
    const std::vector<float> expected = reference_max_pool(x, planes, c, out_h, out_w);
    const std::vector<float> got = values(y[0]);
    REQUIRE(got.size() == expected.size());
    CHECK(std::memcmp(got.data(), expected.data(), got.size() * sizeof(float)) == 0);
  }
}
