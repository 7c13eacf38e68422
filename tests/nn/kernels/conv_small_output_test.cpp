// The small-output direct convolution (RGB heads and stems) on every ISA this
// CPU has, against a direct reference: 9x9 style heads, strides, dilations,
// asymmetric padding, widths around the vector and block widths, output rows
// split between calls (as threads split them), bias, residual, activations.
#include "nn/kernels/conv_small_output.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "reference.hpp"

using namespace neuropipe::nn::kernels;
using neuropipe::test::max_abs_diff;
using neuropipe::test::random_values;

namespace {

struct SmallCase {
  int64_t m, channels, in_h, in_w, k_h, k_w, stride_h, stride_w, dil_h, dil_w, pad_top, pad_left, pad_bottom,
      pad_right;
};

ConvGeometry geometry_of(const SmallCase& c) {
  ConvGeometry g;
  g.channels = c.channels;
  g.in = {1, c.in_h, c.in_w};
  g.kernel = {1, c.k_h, c.k_w};
  g.stride = {1, c.stride_h, c.stride_w};
  g.dilation = {1, c.dil_h, c.dil_w};
  g.pad_begin = {0, c.pad_top, c.pad_left};
  g.out = {1, (c.in_h + c.pad_top + c.pad_bottom - ((c.k_h - 1) * c.dil_h + 1)) / c.stride_h + 1,
           (c.in_w + c.pad_left + c.pad_right - ((c.k_w - 1) * c.dil_w + 1)) / c.stride_w + 1};
  return g;
}

// act(conv + bias[m] + residual) for every output channel, accumulated in double.
std::vector<float> reference(const ConvGeometry& g, int64_t m, const std::vector<float>& x,
                             const std::vector<float>& w, const std::vector<float>& bias,
                             const float* residual, const Activation& act) {
  std::vector<float> y(static_cast<size_t>(m * g.out_plane()));
  for (int64_t o = 0; o < m; ++o)
    for (int64_t oh = 0; oh < g.out[1]; ++oh)
      for (int64_t ow = 0; ow < g.out[2]; ++ow) {
        double s = 0;
        for (int64_t c = 0; c < g.channels; ++c)
          for (int64_t kh = 0; kh < g.kernel[1]; ++kh)
            for (int64_t kw = 0; kw < g.kernel[2]; ++kw) {
              const int64_t ih = oh * g.stride[1] - g.pad_begin[1] + kh * g.dilation[1];
              const int64_t iw = ow * g.stride[2] - g.pad_begin[2] + kw * g.dilation[2];
              if (ih < 0 || ih >= g.in[1] || iw < 0 || iw >= g.in[2]) continue;
              s += double(w[((o * g.channels + c) * g.kernel[1] + kh) * g.kernel[2] + kw]) *
                   x[(c * g.in[1] + ih) * g.in[2] + iw];
            }
        const int64_t i = o * g.out_plane() + oh * g.out[2] + ow;
        float v = static_cast<float>(s) + bias[o] + (residual ? residual[i] : 0.f);
        if (act.kind == Activation::Kind::relu) v = std::max(v, 0.f);
        if (act.kind == Activation::Kind::tanh) v = std::tanh(v);
        y[i] = v;
      }
  return y;
}

const SmallCase kCases[] = {
    // m, C, in_h, in_w, k_h, k_w, s_h, s_w, d_h, d_w, pad t, l, b, r
    {3, 16, 14, 37, 9, 9, 1, 1, 1, 1, 4, 4, 4, 4},  // Johnson's RGB head (narrower)
    {3, 3, 11, 70, 9, 9, 1, 1, 1, 1, 4, 4, 4, 4},   // several full blocks plus a partial vector
    {1, 5, 9, 13, 3, 3, 2, 2, 1, 1, 1, 1, 1, 0},    // stride 2, asymmetric pads
    {2, 4, 12, 29, 3, 5, 1, 3, 2, 1, 2, 0, 1, 3},   // dilation, stride 3
    {4, 7, 6, 33, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0},    // pointwise
    {4, 2, 1, 40, 1, 7, 1, 2, 1, 1, 0, 3, 0, 3},    // 1-D
    {2, 3, 3, 2, 5, 5, 1, 1, 1, 1, 2, 2, 2, 2},     // kernel wider than the input
    {16, 3, 21, 41, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1},  // YuNet's RGB stem: 4 blocks of 4 outputs
    {9, 2, 8, 19, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},    // blocks of 4, 4 and 1
};

}  // namespace

TEST_CASE("small-output conv equals the reference on every ISA, shape and row split",
          "[conv][small_output]") {
  const Activation activations[] = {
      {Activation::Kind::none}, {Activation::Kind::relu}, {Activation::Kind::tanh}};
  int index = 0;
  for (const SmallCase& c : kCases) {
    const ConvGeometry g = geometry_of(c);
    const int64_t patch = g.channels * g.kernel_size();
    const auto x = random_values(static_cast<size_t>(g.channels * g.in_plane()), 31 + index);
    const auto w = random_values(static_cast<size_t>(c.m * patch), 32 + index);
    const auto bias = random_values(static_cast<size_t>(c.m), 33 + index);
    const auto skip = random_values(static_cast<size_t>(c.m * g.out_plane()), 34 + index);
    const auto packed = pack_small_output_weights(w.data(), c.m, patch);
    for (Isa isa : supported_isas())
      for (const Activation& act : activations)
        for (bool with_residual : {false, true}) {
          INFO("isa " << isa_name(isa) << " case " << index << " activation " << int(act.kind) << " residual "
                      << with_residual);
          const float* residual = with_residual ? skip.data() : nullptr;
          const auto expected = reference(g, c.m, x, w, bias, residual, act);
          std::vector<float> y(expected.size() + 1, 3.f);  // one guard value past the planes
          const int64_t split = g.out[1] / 2;              // two calls, as two threads would make
          conv_small_output_rows(isa, x.data(), packed.data(), c.m, bias.data(), act, g, split, g.out[1],
                                 y.data(), residual);
          conv_small_output_rows(isa, x.data(), packed.data(), c.m, bias.data(), act, g, 0, split, y.data(),
                                 residual);
          CHECK(y.back() == 3.f);
          y.pop_back();
          // float sums of `patch` products of values in [-1, 1]: rounding grows with the depth
          CHECK(max_abs_diff(y, expected) < 1e-5f + 1e-7f * static_cast<float>(patch));
        }
    ++index;
  }
}

TEST_CASE("small-output conv takes RGB heads and stems, not deep layers or pointwise",
          "[conv][small_output]") {
  CHECK(small_output_applies(3, 16, 81));  // Johnson's 9x9 16->3 head
  CHECK(small_output_applies(16, 3, 9));   // YuNet's 3x3 3->16 stem
  CHECK_FALSE(small_output_applies(64, 3, 9));
  CHECK_FALSE(small_output_applies(16, 16, 9));
  CHECK_FALSE(small_output_applies(1, 64, 1));  // pointwise: a GEMM straight on the image
}
