// The vectorised depthwise kernel on every ISA this CPU has, against a direct
// reference: 3x3 / 5x5 / other kernels, strides 1-3, dilations, asymmetric
// and oversized padding, widths around the vector and block widths (tails),
// 1-D planes, bias, residual and every fused activation.
#include "nn/kernels/depthwise_conv.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "reference.hpp"

using namespace neuropipe::nn::kernels;
using neuropipe::test::max_abs_diff;
using neuropipe::test::random_values;

namespace {

struct PlaneCase {
  int64_t in_h, in_w, k_h, k_w, stride_h, stride_w, dil_h, dil_w, pad_top, pad_left, pad_bottom, pad_right;
};

ConvGeometry geometry_of(const PlaneCase& c) {
  ConvGeometry g;
  g.in = {1, c.in_h, c.in_w};
  g.kernel = {1, c.k_h, c.k_w};
  g.stride = {1, c.stride_h, c.stride_w};
  g.dilation = {1, c.dil_h, c.dil_w};
  g.pad_begin = {0, c.pad_top, c.pad_left};
  g.out = {1, (c.in_h + c.pad_top + c.pad_bottom - ((c.k_h - 1) * c.dil_h + 1)) / c.stride_h + 1,
           (c.in_w + c.pad_left + c.pad_right - ((c.k_w - 1) * c.dil_w + 1)) / c.stride_w + 1};
  return g;
}

float reference_activation(float v, const Activation& act) {
  switch (act.kind) {
    case Activation::Kind::relu:
      return std::max(v, 0.f);
    case Activation::Kind::clip:
      return std::min(std::max(v, act.alpha), act.beta);
    case Activation::Kind::leaky_relu:
      return v < 0.f ? v * act.alpha : v;
    case Activation::Kind::sigmoid:
      return 1.f / (1.f + std::exp(-v));
    default:
      return v;
  }
}

// act((sum of taps) + bias + residual), taps outside the input read zero.
std::vector<float> reference_plane(const ConvGeometry& g, const std::vector<float>& x,
                                   const std::vector<float>& w, float bias, const float* residual,
                                   const Activation& act) {
  std::vector<float> y(static_cast<size_t>(g.out_plane()));
  for (int64_t oh = 0; oh < g.out[1]; ++oh)
    for (int64_t ow = 0; ow < g.out[2]; ++ow) {
      double s = 0;
      for (int64_t kh = 0; kh < g.kernel[1]; ++kh)
        for (int64_t kw = 0; kw < g.kernel[2]; ++kw) {
          const int64_t ih = oh * g.stride[1] - g.pad_begin[1] + kh * g.dilation[1];
          const int64_t iw = ow * g.stride[2] - g.pad_begin[2] + kw * g.dilation[2];
          if (ih >= 0 && ih < g.in[1] && iw >= 0 && iw < g.in[2])
            s += double(w[kh * g.kernel[2] + kw]) * x[ih * g.in[2] + iw];
        }
      const int64_t o = oh * g.out[2] + ow;
      y[o] = reference_activation(static_cast<float>(s) + bias + (residual ? residual[o] : 0.f), act);
    }
  return y;
}

const PlaneCase kPlanes[] = {
    // in_h, in_w, k_h, k_w, s_h, s_w, d_h, d_w, pad t, l, b, r
    {17, 19, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},  // MobileNet 3x3 same, width below one block
    {9, 80, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},   // several full blocks (4/8/16 lanes x 4)
    {8, 67, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},   // blocks plus a partial vector
    {16, 21, 3, 3, 2, 2, 1, 1, 1, 0, 1, 1},  // stride 2, asymmetric pads
    {7, 9, 3, 3, 2, 2, 1, 1, 0, 2, 2, 0},
    {5, 77, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1},  // stride 2, wide: the vector phase split (odd width)
    {4, 70, 3, 3, 2, 2, 1, 1, 0, 0, 0,
     1},  // stride 2, no left pad: even phase starts at column 0    // stride 2, pads only on one side each
    {6, 40, 3, 3, 1, 1, 1, 1, 0, 0, 0, 0},   // no padding, long rows
    {2, 2, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},    // kernel wider than the input
    {12, 37, 5, 5, 1, 1, 1, 1, 2, 2, 2, 2},  // 5x5
    {13, 33, 5, 5, 2, 2, 1, 1, 2, 2, 2, 2},  // 5x5 stride 2
    {12, 12, 5, 3, 1, 3, 2, 2, 3, 2, 1, 2},  // non-square, stride 3, dilation 2
    {20, 45, 3, 3, 1, 1, 2, 3, 2, 3, 2, 3},  // dilated 3x3 (DeepLab)
    {1, 30, 1, 4, 1, 2, 1, 1, 0, 2, 0, 1},   // 1-D, even kernel
    {1, 5, 1, 7, 1, 1, 1, 1, 0, 4, 0, 4},    // taps wholly in the padding at both ends
    {11, 50, 7, 7, 3, 2, 1, 1, 3, 3, 3, 3},  // 7x7, mixed strides
    {5, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},    // one column
    // staged 3x3 rows of < 2 register blocks go in pairs: odd heights (a last
    // single row), pairs whose first row ends in a partial vector, vertical
    // strides 2 and 3
    {11, 67, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},
    {15, 85, 3, 3, 2, 1, 1, 1, 1, 1, 1, 1},
    {16, 91, 3, 3, 3, 2, 1, 1, 0, 1, 2, 1},
    {3, 100, 3, 3, 1, 1, 1, 1, 0, 1, 0, 1},  // one output row
    // flattened stride-1 planes: 14x14 / 7x7 (MobileNetV2), padding on one side
    // only, a 1-row plane, a 5x5 with dilation
    {14, 14, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},
    {7, 7, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},
    {9, 13, 3, 3, 1, 1, 1, 1, 0, 2, 2, 0},
    {1, 40, 1, 3, 1, 1, 1, 1, 0, 1, 0, 1},
    {15, 19, 5, 5, 1, 1, 2, 2, 4, 4, 4, 4},
};

}  // namespace

TEST_CASE("depthwise kernel equals the reference on every ISA, shape and activation", "[conv][depthwise]") {
  const Activation activations[] = {{Activation::Kind::none},
                                    {Activation::Kind::relu},
                                    {Activation::Kind::clip, -0.3f, 0.6f},
                                    {Activation::Kind::leaky_relu, 0.1f},
                                    {Activation::Kind::sigmoid}};
  for (Isa isa : supported_isas()) {
    int index = 0;
    for (const PlaneCase& c : kPlanes) {
      const ConvGeometry g = geometry_of(c);
      const auto x = random_values(static_cast<size_t>(g.in_plane()), 21 + index);
      const auto w = random_values(static_cast<size_t>(g.kernel_size()), 22 + index);
      const auto skip = random_values(static_cast<size_t>(g.out_plane()), 23 + index);
      for (const Activation& act : activations)
        for (bool with_residual : {false, true}) {
          INFO("isa " << isa_name(isa) << " case " << index << " activation " << int(act.kind) << " residual "
                      << with_residual);
          const float* residual = with_residual ? skip.data() : nullptr;
          const auto expected = reference_plane(g, x, w, 0.25f, residual, act);
          std::vector<float> y(expected.size() + 1, 3.f);  // one guard value past the plane
          depthwise_conv2d_plane(isa, x.data(), w.data(), 0.25f, act, g, y.data(), residual);
          CHECK(y.back() == 3.f);
          y.pop_back();
          CHECK(max_abs_diff(y, expected) < 1e-5f);
        }
      ++index;
    }
  }
}

TEST_CASE("depthwise kernel keeps NaN through Relu like the unfused op", "[conv][depthwise]") {
  const PlaneCase c{3, 20, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1};
  const ConvGeometry g = geometry_of(c);
  auto x = random_values(static_cast<size_t>(g.in_plane()), 5);
  x[25] = std::nanf("");
  const auto w = random_values(static_cast<size_t>(g.kernel_size()), 6);
  for (Isa isa : supported_isas()) {
    INFO("isa " << isa_name(isa));
    std::vector<float> y(static_cast<size_t>(g.out_plane()));
    depthwise_conv2d_plane(isa, x.data(), w.data(), 0.f, Activation{Activation::Kind::relu}, g, y.data());
    CHECK(std::isnan(y[25]));  // output (1, 5) reads input (1, 5) through its centre tap
  }
}

TEST_CASE("vector depthwise kernels round exactly like the row kernel on every ISA", "[conv][depthwise]") {
  // Strided narrow planes take the row kernel, others the staged or flattened
  // vector kernels; all must give the same bits (no fused multiply-add), so
  // the per-shape choice between them never changes a model's output.
  const PlaneCase cases[] = {{9, 23, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1},
                             {7, 12, 5, 5, 1, 1, 1, 1, 2, 2, 2, 2},   // flattened, 5x5
                             {6, 20, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},   // flattened, 3x3
                             {14, 14, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},  // MobileNetV2 14x14
                             {7, 7, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},
                             {20, 45, 3, 3, 1, 1, 2, 3, 2, 3, 2, 3},  // flattened, dilated
                             {11, 67, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},  // wide stride 1: staged, rows in pairs
                             {10, 71, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1},  // pairs 3 input rows apart
                             {9, 150, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1}};
  for (const PlaneCase& c : cases) {
    const ConvGeometry g = geometry_of(c);
    const auto x = random_values(static_cast<size_t>(g.in_plane()), 71);
    const auto w = random_values(static_cast<size_t>(g.kernel_size()), 72);
    const auto skip = random_values(static_cast<size_t>(g.out_plane()), 73);
    const Activation relu{Activation::Kind::relu};
    std::vector<float> row_kernel(static_cast<size_t>(g.out_plane()));
    depthwise_conv2d_plane_row_kernel(x.data(), w.data(), 0.1f, relu, g, row_kernel.data(), skip.data());
    for (Isa isa : supported_isas()) {
      INFO("isa " << isa_name(isa) << " out " << g.out[1] << "x" << g.out[2]);
      std::vector<float> staged(row_kernel.size());
      depthwise_conv2d_plane(isa, x.data(), w.data(), 0.1f, relu, g, staged.data(), skip.data());
      CHECK(staged == row_kernel);
    }
  }
}
