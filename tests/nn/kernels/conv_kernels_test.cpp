// Convolution building blocks against a direct 7-loop reference: implicit
// im2col feeding the packed GEMM (strides, dilations, padding, groups' K
// tails, 1-D/2-D/3-D) on every ISA, the direct depthwise kernel, and col2im
// as the exact adjoint of im2col.
#include <catch2/catch.hpp>

#include "nn/kernels/depthwise_conv.hpp"
#include "nn/kernels/gemm.hpp"
#include "nn/kernels/im2col.hpp"
#include "conv_reference.hpp"
#include "reference.hpp"

using namespace neuropipe::nn::kernels;
using neuropipe::test::ConvCase;
using neuropipe::test::geometry_of;
using neuropipe::test::max_abs_diff;
using neuropipe::test::reference_conv;
using neuropipe::test::random_values;

namespace {

const ConvCase kCases[] = {
    // channels, out, in (d,h,w), kernel, stride, dilation, pad_begin, pad_end
    {3, 5, {1, 9, 11}, {1, 3, 3}, {1, 1, 1}, {1, 1, 1}, {0, 1, 1}, {0, 1, 1}},   // 3x3 same
    {4, 7, {1, 13, 10}, {1, 3, 5}, {1, 2, 3}, {1, 1, 1}, {0, 1, 2}, {0, 0, 1}},  // strides, asymmetric pads
    {2, 3, {1, 12, 12}, {1, 3, 3}, {1, 1, 2}, {1, 2, 3}, {0, 2, 0}, {0, 1, 3}},  // dilations
    {31, 9, {1, 7, 6}, {1, 3, 3}, {1, 1, 1}, {1, 1, 1}, {0, 0, 0}, {0, 0, 0}},   // K = 279: a KC tail
    {3, 4, {1, 1, 40}, {1, 1, 7}, {1, 1, 3}, {1, 1, 2}, {0, 0, 3}, {0, 0, 2}},   // 1-D
    {2, 3, {5, 6, 7}, {2, 3, 2}, {2, 1, 2}, {1, 1, 1}, {1, 1, 0}, {0, 1, 1}},    // 3-D
    {8, 16, {1, 5, 5}, {1, 1, 1}, {1, 1, 1}, {1, 1, 1}, {0, 0, 0}, {0, 0, 0}},   // pointwise
    {2, 3, {1, 4, 3}, {1, 3, 5}, {1, 2, 2}, {1, 1, 1}, {0, 3, 4}, {0, 3, 4}},    // taps wholly in the padding
};

// Entry (k, j) of the im2col matrix: patch row k = (c, kd, kh, kw), output pixel j.
float reference_patch(const ConvGeometry& g, const std::vector<float>& x, int64_t k, int64_t j) {
  const int64_t kw = k % g.kernel[2], kh = k / g.kernel[2] % g.kernel[1],
                kd = k / (g.kernel[2] * g.kernel[1]) % g.kernel[0], c = k / g.kernel_size();
  const int64_t ow = j % g.out[2], oh = j / g.out[2] % g.out[1], od = j / (g.out[2] * g.out[1]);
  const int64_t id = od * g.stride[0] - g.pad_begin[0] + kd * g.dilation[0];
  const int64_t ih = oh * g.stride[1] - g.pad_begin[1] + kh * g.dilation[1];
  const int64_t iw = ow * g.stride[2] - g.pad_begin[2] + kw * g.dilation[2];
  if (id < 0 || id >= g.in[0] || ih < 0 || ih >= g.in[1] || iw < 0 || iw >= g.in[2]) return 0.f;
  return x[static_cast<size_t>(((c * g.in[0] + id) * g.in[1] + ih) * g.in[2] + iw)];
}

}  // namespace

TEST_CASE("implicit im2col + packed GEMM equals direct convolution on every ISA", "[conv]") {
  for (Isa isa : supported_isas()) {
    const GemmMicroKernel& kernel = gemm_micro_kernel(isa);
    int index = 0;
    for (const ConvCase& c : kCases) {
      INFO("isa " << isa_name(isa) << " case " << index++);
      const ConvGeometry g = geometry_of(c);
      const auto x = random_values(static_cast<size_t>(g.channels * g.in_plane()), 11);
      const auto w = random_values(static_cast<size_t>(c.out_channels * g.patch_size()), 12);
      const auto expected = reference_conv(g, c.out_channels, x, w);
      PackedA packed(kernel, c.out_channels, g.patch_size(), MatrixView{w.data(), g.patch_size(), 1});
      const BPanelPacker patches = [&](int64_t k0, int64_t kc, int64_t n0, int64_t nc, int nr, float* dst) {
        pack_im2col_panels(x.data(), g, k0, kc, n0, nc, nr, dst);
      };
      std::vector<float> y(expected.size(), 42.f);
      gemm(kernel, c.out_channels, g.out_plane(), g.patch_size(), packed_a(packed), packer_b(patches),
           plain_output(y.data(), g.out_plane()));
      CHECK(max_abs_diff(y, expected) < 1e-4f);
      if (g.is_pointwise()) {  // the image itself as B gives the same result
        std::vector<float> direct(expected.size());
        gemm(kernel, c.out_channels, g.out_plane(), g.patch_size(), packed_a(packed),
             view_b(MatrixView{x.data(), g.out_plane(), 1}), plain_output(direct.data(), g.out_plane()));
        CHECK(max_abs_diff(direct, expected) < 1e-4f);
      }
    }
  }
}

TEST_CASE("im2col panels of any block (odd offsets, row-crossing runs) hold the patch matrix", "[conv][im2col]") {
  for (const ConvCase& c : kCases) {
    const ConvGeometry g = geometry_of(c);
    const auto x = random_values(static_cast<size_t>(g.channels * g.in_plane()), 41);
    const int64_t rows = g.patch_size(), cols = g.out_plane();
    for (int nr : {8, 32}) {
      // Blocks starting mid-row and mid-panel, ending before the last column.
      for (int64_t n0 : {int64_t{0}, std::min<int64_t>(3, cols - 1), cols / 2}) {
        const int64_t nc = std::max<int64_t>(1, cols - n0 - 1), k0 = rows / 3, kc = rows - k0;
        const int64_t padded = (nc + nr - 1) / nr * nr;
        std::vector<float> panels(static_cast<size_t>(kc * padded), 42.f);
        pack_im2col_panels(x.data(), g, k0, kc, n0, nc, nr, panels.data());
        int64_t wrong = 0;
        for (int64_t kk = 0; kk < kc; ++kk)
          for (int64_t col = 0; col < padded; ++col) {
            const float expected = col < nc ? reference_patch(g, x, k0 + kk, n0 + col) : 0.f;
            wrong += panels[static_cast<size_t>((col / nr) * kc * nr + kk * nr + col % nr)] != expected;
          }
        INFO("nr " << nr << " n0 " << n0 << " nc " << nc);
        CHECK(wrong == 0);
      }
    }
  }
}

TEST_CASE("direct depthwise kernel equals the reference, with bias and Clip", "[conv][depthwise]") {
  const ConvCase cases[] = {
      {1, 1, {1, 17, 19}, {1, 3, 3}, {1, 1, 1}, {1, 1, 1}, {0, 1, 1}, {0, 1, 1}},
      {1, 1, {1, 16, 21}, {1, 3, 3}, {1, 2, 2}, {1, 1, 1}, {0, 1, 0}, {0, 1, 1}},
      {1, 1, {1, 12, 12}, {1, 5, 3}, {1, 1, 3}, {1, 2, 2}, {0, 3, 2}, {0, 1, 2}},
      {1, 1, {1, 1, 30}, {1, 1, 4}, {1, 1, 2}, {1, 1, 1}, {0, 0, 2}, {0, 0, 1}},
      {1, 1, {1, 2, 2}, {1, 3, 3}, {1, 1, 1}, {1, 1, 1}, {0, 1, 1}, {0, 1, 1}},   // 3x3 wider than the input
      {1, 1, {1, 7, 9}, {1, 3, 3}, {1, 2, 2}, {1, 1, 1}, {0, 0, 2}, {0, 2, 0}},   // 3x3 stride 2, odd pads
      {1, 1, {1, 6, 40}, {1, 3, 3}, {1, 1, 1}, {1, 1, 1}, {0, 0, 0}, {0, 0, 0}},  // 3x3 no pad, long rows
  };
  const Activation clip{Activation::Kind::clip, -0.3f, 0.6f};
  for (const ConvCase& c : cases) {
    const ConvGeometry g = geometry_of(c);
    const auto x = random_values(static_cast<size_t>(g.in_plane()), 21);
    const auto w = random_values(static_cast<size_t>(g.kernel_size()), 22);
    auto expected = reference_conv(g, 1, x, w);
    for (float& v : expected) v = std::min(std::max(v + 0.25f, -0.3f), 0.6f);
    std::vector<float> y(expected.size(), 3.f);
    depthwise_conv2d_plane(x.data(), w.data(), 0.25f, clip, g, y.data());
    CHECK(max_abs_diff(y, expected) < 1e-5f);
  }
}

TEST_CASE("depthwise kernel adds the residual plane before bias and activation", "[conv][depthwise]") {
  const ConvCase c{1, 1, {1, 9, 13}, {1, 3, 3}, {1, 1, 1}, {1, 1, 1}, {0, 1, 1}, {0, 1, 1}};
  const ConvGeometry g = geometry_of(c);
  const auto x = random_values(static_cast<size_t>(g.in_plane()), 61);
  const auto w = random_values(static_cast<size_t>(g.kernel_size()), 62);
  const auto skip = random_values(static_cast<size_t>(g.out_plane()), 63);
  auto expected = reference_conv(g, 1, x, w);
  for (size_t i = 0; i < expected.size(); ++i) expected[i] = std::max(expected[i] + skip[i] - 0.1f, 0.f);
  std::vector<float> y(expected.size(), 3.f);
  depthwise_conv2d_plane(x.data(), w.data(), -0.1f, Activation{Activation::Kind::relu}, g, y.data(), skip.data());
  CHECK(max_abs_diff(y, expected) < 1e-5f);
}

TEST_CASE("col2im is the adjoint of im2col: <im2col(x), c> == <x, col2im(c)>", "[conv][col2im]") {
  for (const ConvCase& c : kCases) {
    const ConvGeometry g = geometry_of(c);
    const int64_t rows = g.patch_size(), cols = g.out_plane();
    const auto x = random_values(static_cast<size_t>(g.channels * g.in_plane()), 31);
    const auto columns = random_values(static_cast<size_t>(rows * cols), 32);
    // im2col(x) as one panel as wide as the whole matrix.
    std::vector<float> patches(static_cast<size_t>(rows * cols));
    pack_im2col_panels(x.data(), g, 0, rows, 0, cols, static_cast<int>(cols), patches.data());
    double lhs = 0;
    for (size_t i = 0; i < patches.size(); ++i) lhs += double(patches[i]) * columns[i];
    std::vector<float> image(x.size(), 0.f);
    col2im_add(columns.data(), g, 0, g.channels, image.data());
    double rhs = 0;
    for (size_t i = 0; i < x.size(); ++i) rhs += double(x[i]) * image[i];
    CHECK(lhs == Approx(rhs).epsilon(1e-5));
  }
}
