// The pixel-major convolution (Y^T = patches^T * W^T, conv_pixel_major.hpp)
// against the direct reference on every ISA: pointwise, strided 1x1, 3x3 with
// padding, strides, dilations, unequal and oversized padding, 1-D, output
// planes and channel counts that leave tails of every tile size, K past one
// KC block, a plane packed in two pixel chunks; the epilogue (bias, residual,
// activation); and bit-identity with the usual weights-as-A GEMM, which
// conv.cpp relies on for model parity.
#include "nn/kernels/conv_pixel_major.hpp"

#include <catch2/catch.hpp>

#include "conv_reference.hpp"
#include "nn/kernels/im2col.hpp"
#include "reference.hpp"

using namespace neuropipe::nn::kernels;
using neuropipe::test::ConvCase;
using neuropipe::test::geometry_of;
using neuropipe::test::max_abs_diff;
using neuropipe::test::random_values;
using neuropipe::test::reference_conv;

namespace {

const ConvCase kPixelMajorCases[] = {
    // channels, out, in (d,h,w), kernel, stride, dilation, pad_begin, pad_end
    {64, 40, {1, 7, 7}, {1, 1, 1}, {1, 1, 1}, {1, 1, 1}, {0, 0, 0}, {0, 0, 0}},      // pointwise 7x7
    {300, 33, {1, 5, 9}, {1, 1, 1}, {1, 1, 1}, {1, 1, 1}, {0, 0, 0}, {0, 0, 0}},     // K = 300: a KC tail
    {20, 70, {1, 14, 13}, {1, 1, 1}, {1, 2, 2}, {1, 1, 1}, {0, 0, 0}, {0, 0, 0}},    // strided 1x1
    {37, 48, {1, 7, 7}, {1, 3, 3}, {1, 1, 1}, {1, 1, 1}, {0, 1, 1}, {0, 1, 1}},      // ResNet 7x7 3x3
    {29, 35, {1, 15, 14}, {1, 3, 3}, {1, 2, 2}, {1, 1, 1}, {0, 1, 1}, {0, 1, 1}},    // stride 2, 8x7 out
    {5, 64, {1, 9, 10}, {1, 3, 3}, {1, 1, 2}, {1, 2, 3}, {0, 2, 0}, {0, 1, 3}},      // dilations
    {6, 31, {1, 4, 3}, {1, 3, 5}, {1, 2, 2}, {1, 1, 1}, {0, 3, 4}, {0, 3, 4}},       // taps in the padding
    {7, 9, {1, 1, 40}, {1, 1, 7}, {1, 1, 3}, {1, 1, 2}, {0, 0, 3}, {0, 0, 2}},       // 1-D
    {130, 17, {1, 11, 11}, {1, 3, 3}, {1, 1, 1}, {1, 1, 1}, {0, 1, 1}, {0, 1, 1}},   // 121 pixels, K 1170
    {3, 5, {1, 1, 1}, {1, 1, 1}, {1, 1, 1}, {1, 1, 1}, {0, 0, 0}, {0, 0, 0}},        // one pixel
    {300, 40, {1, 25, 24}, {1, 3, 3}, {1, 1, 1}, {1, 1, 1}, {0, 0, 1}, {0, 0, 0}},   // 529 pixels, K 2700:
                                                                                     // 2 pixel chunks
};

std::vector<float> run_pixel_major(const GemmMicroKernel& kernel, const ConvCase& c, const std::vector<float>& x,
                                   const std::vector<float>& w, const GemmC& epilogue, bool parallel) {
  const ConvGeometry g = geometry_of(c);
  const PackedB weights = pack_pixel_major_weights(kernel, w.data(), c.out_channels, g.patch_size());
  std::vector<float> y(static_cast<size_t>(c.out_channels * g.out_plane()), 42.f);
  GemmC out = epilogue;
  out.data = y.data();
  out.ldc = g.out_plane();
  conv_pixel_major(kernel, weights, x.data(), g, out, parallel);
  return y;
}

}  // namespace

TEST_CASE("pixel-major convolution equals direct convolution on every ISA", "[conv][pixel_major]") {
  for (Isa isa : supported_isas()) {
    const GemmMicroKernel& kernel = gemm_micro_kernel(isa);
    int index = 0;
    for (const ConvCase& c : kPixelMajorCases) {
      INFO("isa " << isa_name(isa) << " case " << index++);
      const ConvGeometry g = geometry_of(c);
      const auto x = random_values(static_cast<size_t>(g.channels * g.in_plane()), 91);
      const auto w = random_values(static_cast<size_t>(c.out_channels * g.patch_size()), 92);
      const auto expected = reference_conv(g, c.out_channels, x, w);
      CHECK(max_abs_diff(run_pixel_major(kernel, c, x, w, GemmC{}, true), expected) < 1e-4f);
      CHECK(max_abs_diff(run_pixel_major(kernel, c, x, w, GemmC{}, false), expected) < 1e-4f);
    }
  }
}

TEST_CASE("pixel-major convolution applies bias, then the residual, then the activation",
          "[conv][pixel_major]") {
  const ConvCase c{19, 70, {1, 7, 7}, {1, 3, 3}, {1, 1, 1}, {1, 1, 1}, {0, 1, 1}, {0, 1, 1}};
  const ConvGeometry g = geometry_of(c);
  const auto x = random_values(static_cast<size_t>(g.channels * g.in_plane()), 93);
  const auto w = random_values(static_cast<size_t>(c.out_channels * g.patch_size()), 94);
  const auto bias = random_values(static_cast<size_t>(c.out_channels), 95);
  const auto skip = random_values(static_cast<size_t>(c.out_channels * g.out_plane()), 96);
  auto expected = reference_conv(g, c.out_channels, x, w);
  for (size_t i = 0; i < expected.size(); ++i)
    expected[i] = std::max((expected[i] + bias[i / static_cast<size_t>(g.out_plane())]) + skip[i], 0.f);
  GemmC epilogue;
  epilogue.row_bias = bias.data();
  epilogue.residual = skip.data();
  epilogue.activation = Activation{Activation::Kind::relu};
  for (Isa isa : supported_isas()) {
    INFO("isa " << isa_name(isa));
    CHECK(max_abs_diff(run_pixel_major(gemm_micro_kernel(isa), c, x, w, epilogue, true), expected) < 1e-4f);
  }
}

TEST_CASE("pixel-major convolution is bit-identical to the weights-as-A GEMM", "[conv][pixel_major]") {
  for (Isa isa : supported_isas()) {
    const GemmMicroKernel& kernel = gemm_micro_kernel(isa);
    int index = 0;
    for (const ConvCase& c : kPixelMajorCases) {
      INFO("isa " << isa_name(isa) << " case " << index++);
      const ConvGeometry g = geometry_of(c);
      const auto x = random_values(static_cast<size_t>(g.channels * g.in_plane()), 97);
      const auto w = random_values(static_cast<size_t>(c.out_channels * g.patch_size()), 98);
      PackedA packed(kernel, c.out_channels, g.patch_size(), MatrixView{w.data(), g.patch_size(), 1});
      const BPanelPacker patches = [&](int64_t k0, int64_t kc, int64_t n0, int64_t nc, int nr, float* dst) {
        pack_im2col_panels(x.data(), g, k0, kc, n0, nc, nr, dst);
      };
      std::vector<float> usual(static_cast<size_t>(c.out_channels * g.out_plane()));
      gemm(kernel, c.out_channels, g.out_plane(), g.patch_size(), packed_a(packed), packer_b(patches),
           plain_output(usual.data(), g.out_plane()));
      const auto y = run_pixel_major(kernel, c, x, w, GemmC{}, true);
      CHECK(y == usual);
    }
  }
}

TEST_CASE("pixel-major form is chosen for small planes only", "[conv][pixel_major]") {
  const GemmMicroKernel& kernel = best_gemm_micro_kernel();
  CHECK(pixel_major_conv_pays(kernel, 512, 49) == (kernel.nr > kernel.mr));  // ResNet-50's 7x7 stage
  CHECK_FALSE(pixel_major_conv_pays(kernel, 256, 196));                    // 14x14: measured even or slower
  CHECK_FALSE(pixel_major_conv_pays(kernel, 64, 3136));
  CHECK_FALSE(pixel_major_conv_pays(kernel, 8, 49));  // fewer outputs than B's columns
}
