// The shifted-window convolution (GEMM reading B in place from the padded,
// phase-split image) against the direct reference on every ISA: strides 1-3
// (also unequal), dilations, asymmetric and oversized padding, widths that
// leave tails of every tile size, K past one KC block, 1-D, and the epilogue
// (bias, residual, activation).
#include "nn/kernels/conv_shifted.hpp"

#include <catch2/catch.hpp>

#include "conv_reference.hpp"
#include "reference.hpp"

using namespace neuropipe::nn::kernels;
using neuropipe::test::ConvCase;
using neuropipe::test::geometry_of;
using neuropipe::test::max_abs_diff;
using neuropipe::test::random_values;
using neuropipe::test::reference_conv;

namespace {

const ConvCase kShiftedCases[] = {
    // channels, out, in (d,h,w), kernel, stride, dilation, pad_begin, pad_end
    {3, 5, {1, 9, 11}, {1, 3, 3}, {1, 1, 1}, {1, 1, 1}, {0, 1, 1}, {0, 1, 1}},     // 3x3 same
    {17, 13, {1, 14, 14}, {1, 3, 3}, {1, 1, 1}, {1, 1, 1}, {0, 1, 1}, {0, 1, 1}},  // M, C off the vector
                                                                                   // width
    {31, 9, {1, 7, 6}, {1, 3, 3}, {1, 1, 1}, {1, 1, 1}, {0, 0, 0}, {0, 0, 0}},     // K = 279: a KC tail
    {40, 11, {1, 8, 9}, {1, 3, 3}, {1, 1, 1}, {1, 1, 1}, {0, 1, 1}, {0, 1, 1}},    // K = 360
    {4, 7, {1, 13, 10}, {1, 3, 5}, {1, 2, 3}, {1, 1, 1}, {0, 1, 2}, {0, 0, 1}},    // unequal strides
    {5, 6, {1, 17, 19}, {1, 3, 3}, {1, 2, 2}, {1, 1, 1}, {0, 1, 1}, {0, 1, 1}},    // stride 2, odd size
    {6, 8, {1, 20, 23}, {1, 7, 7}, {1, 2, 2}, {1, 1, 1}, {0, 3, 3}, {0, 3, 3}},    // ResNet stem shape
    {2, 3, {1, 12, 12}, {1, 3, 3}, {1, 1, 2}, {1, 2, 3}, {0, 2, 0}, {0, 1, 3}},    // dilations
    {3, 4, {1, 11, 13}, {1, 3, 3}, {1, 2, 3}, {1, 2, 2}, {0, 2, 1}, {0, 0, 2}},    // stride + dilation
    {3, 3, {1, 21, 26}, {1, 9, 9}, {1, 1, 1}, {1, 1, 1}, {0, 4, 4}, {0, 4, 4}},    // 9x9 (Johnson output)
    {2, 3, {1, 6, 50}, {1, 4, 4}, {1, 2, 2}, {1, 1, 1}, {0, 1, 2}, {0, 2, 1}},     // even kernel
    {3, 4, {1, 1, 40}, {1, 1, 7}, {1, 1, 3}, {1, 1, 2}, {0, 0, 3}, {0, 0, 2}},     // 1-D
    {2, 3, {1, 4, 3}, {1, 3, 5}, {1, 2, 2}, {1, 1, 1}, {0, 3, 4}, {0, 3, 4}},    // taps wholly in the padding
    {8, 4, {1, 7, 7}, {1, 7, 7}, {1, 1, 1}, {1, 1, 1}, {0, 0, 0}, {0, 0, 0}},    // one output per row
    {4, 5, {1, 10, 12}, {1, 3, 3}, {1, 3, 3}, {1, 1, 1}, {0, 0, 0}, {0, 2, 2}},  // stride 3, pad at the end
                                                                                 // only
};

}  // namespace

TEST_CASE("shifted-window convolution equals direct convolution on every ISA", "[conv][shifted]") {
  for (Isa isa : supported_isas()) {
    const GemmMicroKernel& kernel = gemm_micro_kernel(isa);
    int index = 0;
    for (const ConvCase& c : kShiftedCases) {
      INFO("isa " << isa_name(isa) << " case " << index++);
      const ConvGeometry g = geometry_of(c);
      const auto x = random_values(static_cast<size_t>(g.channels * g.in_plane()), 71);
      const auto w = random_values(static_cast<size_t>(c.out_channels * g.patch_size()), 72);
      const auto expected = reference_conv(g, c.out_channels, x, w);
      PackedA packed(kernel, c.out_channels, g.patch_size(), MatrixView{w.data(), g.patch_size(), 1});
      std::vector<float> y(expected.size(), 42.f);
      conv_shifted(kernel, packed, x.data(), g, plain_output(y.data(), g.out_plane()));
      CHECK(max_abs_diff(y, expected) < 1e-4f);
      std::vector<float> serial(expected.size(), 42.f);
      conv_shifted(kernel, packed, x.data(), g, plain_output(serial.data(), g.out_plane()), false);
      CHECK(max_abs_diff(serial, expected) < 1e-4f);
    }
  }
}

TEST_CASE("shifted-window convolution of a large output runs in row bands with the same result",
          "[conv][shifted]") {
  // 64 x Wq x out_h floats of GEMM result exceed the 1M-float band budget: 2 and 3 bands,
  // bands starting inside the top padding, below it, and with stride-2 / dilated taps.
  const ConvCase cases[] = {
      {2, 64, {1, 130, 130}, {1, 3, 3}, {1, 1, 1}, {1, 1, 1}, {0, 1, 1}, {0, 1, 1}},
      {2, 64, {1, 520, 260}, {1, 3, 3}, {1, 2, 2}, {1, 1, 1}, {0, 1, 1}, {0, 0, 0}},
      {1, 64, {1, 140, 128}, {1, 3, 3}, {1, 1, 1}, {1, 2, 2}, {0, 3, 2}, {0, 1, 2}},
  };
  const GemmMicroKernel& kernel = best_gemm_micro_kernel();
  for (const ConvCase& c : cases) {
    const ConvGeometry g = geometry_of(c);
    const auto x = random_values(static_cast<size_t>(g.channels * g.in_plane()), 85);
    const auto w = random_values(static_cast<size_t>(c.out_channels * g.patch_size()), 86);
    const auto skip = random_values(static_cast<size_t>(c.out_channels * g.out_plane()), 87);
    auto expected = reference_conv(g, c.out_channels, x, w);
    for (size_t i = 0; i < expected.size(); ++i) expected[i] += skip[i];
    PackedA packed(kernel, c.out_channels, g.patch_size(), MatrixView{w.data(), g.patch_size(), 1});
    std::vector<float> y(expected.size(), 42.f);
    GemmC out = plain_output(y.data(), g.out_plane());
    out.residual = skip.data();
    conv_shifted(kernel, packed, x.data(), g, out);
    INFO("out " << g.out[1] << "x" << g.out[2]);
    CHECK(max_abs_diff(y, expected) < 1e-4f);
  }
}

TEST_CASE("shifted-window convolution applies bias, then the residual, then the activation",
          "[conv][shifted]") {
  const ConvCase c{6, 10, {1, 15, 17}, {1, 3, 3}, {1, 1, 1}, {1, 1, 1}, {0, 1, 1}, {0, 1, 1}};
  const ConvGeometry g = geometry_of(c);
  const auto x = random_values(static_cast<size_t>(g.channels * g.in_plane()), 81);
  const auto w = random_values(static_cast<size_t>(c.out_channels * g.patch_size()), 82);
  const auto bias = random_values(static_cast<size_t>(c.out_channels), 83);
  const auto skip = random_values(static_cast<size_t>(c.out_channels * g.out_plane()), 84);
  auto expected = reference_conv(g, c.out_channels, x, w);
  for (size_t i = 0; i < expected.size(); ++i)
    expected[i] = std::max((expected[i] + bias[i / static_cast<size_t>(g.out_plane())]) + skip[i], 0.f);
  for (Isa isa : supported_isas()) {
    INFO("isa " << isa_name(isa));
    const GemmMicroKernel& kernel = gemm_micro_kernel(isa);
    PackedA packed(kernel, c.out_channels, g.patch_size(), MatrixView{w.data(), g.patch_size(), 1});
    std::vector<float> y(expected.size(), 42.f);
    GemmC out = plain_output(y.data(), g.out_plane());
    out.row_bias = bias.data();
    out.residual = skip.data();
    out.activation = Activation{Activation::Kind::relu};
    conv_shifted(kernel, packed, x.data(), g, out);
    CHECK(max_abs_diff(y, expected) < 1e-4f);
  }
}

TEST_CASE("shifted-window path is left to im2col for 3-D, 1x1 and junk-heavy shapes", "[conv][shifted]") {
  CHECK_FALSE(shifted_conv_applies(
      geometry_of({2, 3, {5, 6, 7}, {2, 3, 2}, {2, 1, 2}, {1, 1, 1}, {1, 1, 0}, {0, 1, 1}})));
  CHECK_FALSE(shifted_conv_applies(
      geometry_of({8, 4, {1, 9, 9}, {1, 1, 1}, {1, 2, 2}, {1, 1, 1}, {0, 0, 0}, {0, 0, 0}})));
  // A 7x7 kernel over a 7x7 image: 1 useful column of every 7.
  CHECK_FALSE(shifted_conv_applies(
      geometry_of({8, 4, {1, 7, 7}, {1, 7, 7}, {1, 1, 1}, {1, 1, 1}, {0, 0, 0}, {0, 0, 0}})));
}
