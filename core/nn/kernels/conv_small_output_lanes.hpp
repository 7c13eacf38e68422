#pragma once
// The small-output convolution of conv_small_output.hpp over a GCC vector type
// F. Only conv_small_output_{scalar,avx2,avx512}.cpp include this; like
// depthwise_conv_lanes.hpp (whose row staging and epilogue it shares),
// everything is a template over F and no std:: template is used.
#include <cstdint>

#include "nn/kernels/conv_small_output.hpp"
#include "nn/kernels/depthwise_conv_lanes.hpp"

namespace neuropipe::nn::kernels::small_output_lanes {

using depthwise_lanes::finish;
using depthwise_lanes::finish_partial;
using depthwise_lanes::load;
using depthwise_lanes::splat;
using depthwise_lanes::stage_phase;
using depthwise_lanes::store;
using depthwise_lanes::width;

// Vectors per block: M*U accumulators must leave room for the loaded inputs
// (32 registers with AVX-512, 16 below).
template <class F, int M>
constexpr int max_unroll() {
  return sizeof(F) == 64 || M <= 2 ? 4 : 2;
}

template <class F>
const float* staged_row(const SmallOutputCall& a, int64_t c, int64_t ih) {
  const ConvGeometry& g = *a.g;
  const int64_t stride = g.stride[2], slot = c * a.ring + ih % a.ring;
  float* row = a.rows + slot * stride * a.row_len;
  if (a.row_tags[slot] != ih) {
    const float* in = a.image + c * g.in_plane() + ih * g.in[2];
    for (int64_t p = 0; p < stride; ++p)
      stage_phase<F>(in, g.in[2], p - g.pad_begin[2], stride, a.row_len, row + p * a.row_len);
    a.row_tags[slot] = ih;
  }
  return row;
}

// U vectors of columns from column j of output row oh, all M channels; the last
// vector may be partial (`count` < U*n columns), stored whole when this call's
// rows go on after it (the next row overwrites the extra lanes; another
// thread's rows are never touched).
template <class F, int M, int U>
void block(const SmallOutputCall& a, int64_t oh, int64_t j, int64_t count) {
  constexpr int64_t n = width<F>();
  const ConvGeometry& g = *a.g;
  const int64_t taps_h = g.channels * g.kernel[1], kw_n = g.kernel[2], out_w = g.out[2];
  F acc[M][U] = {};
  const float* w = a.weights;
  for (int64_t r = 0; r < taps_h; ++r) {
    const float* row = a.tap_rows[r] + j;
    for (int64_t kw = 0; kw < kw_n; ++kw, w += M) {
      const float* p = row + a.tap_offsets[kw];
      F x[U];
#pragma GCC unroll 4
      for (int u = 0; u < U; ++u) x[u] = load<F>(p + u * n);
#pragma GCC unroll 4
      for (int m = 0; m < M; ++m) {
        const F wm = splat<F>(w[m]);
#pragma GCC unroll 4
        for (int u = 0; u < U; ++u) acc[m][u] += wm * x[u];
      }
    }
  }
  const int64_t room = (a.row_end - oh) * out_w - j;  // floats from column j to the end of this call's rows
#pragma GCC unroll 4
  for (int m = 0; m < M; ++m) {
    const F bias = splat<F>(a.bias ? a.bias[m] : 0.f);
    float* out_row = a.out + m * g.out_plane() + oh * out_w + j;
    const float* res_row = a.residual ? a.residual + m * g.out_plane() + oh * out_w + j : nullptr;
#pragma GCC unroll 4
    for (int u = 0; u < U; ++u) {
      const int64_t at = u * n, columns = count - at < n ? count - at : n;
      if (at + n <= room)
        store<F>(out_row + at, finish<F>(acc[m][u], bias, res_row ? res_row + at : nullptr, *a.act));
      else
        finish_partial<F>(acc[m][u], bias, res_row ? res_row + at : nullptr, *a.act, columns, out_row + at);
    }
  }
}

template <class F, int M>
void output_row(const SmallOutputCall& a, int64_t oh) {
  constexpr int64_t n = width<F>();
  constexpr int kU = max_unroll<F, M>();
  const int64_t out_w = a.g->out[2];
  int64_t j = 0;
  for (; j + kU * n <= out_w; j += kU * n) block<F, M, kU>(a, oh, j, kU * n);
  const int64_t left = out_w - j;
  switch ((left + n - 1) / n) {  // 0 .. kU vectors left
    case 1:
      return block<F, M, 1>(a, oh, j, left);
    case 2:
      return block<F, M, 2>(a, oh, j, left);
    case 3:
      if constexpr (kU >= 3) return block<F, M, 3>(a, oh, j, left);
      return;
    case 4:
      if constexpr (kU >= 4) return block<F, M, 4>(a, oh, j, left);
      return;
    default:
      return;
  }
}

// Output row oh of every block of <= 4 output channels, from the rows staged for it.
template <class F>
void output_row_all_blocks(const SmallOutputCall& a, int64_t oh) {
  const ConvGeometry& g = *a.g;
  const int64_t patch = g.patch_size();
  for (int64_t m0 = 0; m0 < a.m; m0 += kSmallOutputBlock) {
    SmallOutputCall b = a;
    b.m = a.m - m0 < kSmallOutputBlock ? a.m - m0 : kSmallOutputBlock;
    b.weights = a.weights + m0 * patch;
    b.bias = a.bias ? a.bias + m0 : nullptr;
    b.out = a.out + m0 * g.out_plane();
    b.residual = a.residual ? a.residual + m0 * g.out_plane() : nullptr;
    switch (b.m) {
      case 1:
        output_row<F, 1>(b, oh);
        break;
      case 2:
        output_row<F, 2>(b, oh);
        break;
      case 3:
        output_row<F, 3>(b, oh);
        break;
      default:
        output_row<F, 4>(b, oh);
        break;
    }
  }
}

template <class F>
void rows(const SmallOutputCall& a) {
  const ConvGeometry& g = *a.g;
  const float* zero_row = a.rows + g.channels * a.ring * g.stride[2] * a.row_len;
  for (int64_t s = 0; s < g.channels * a.ring; ++s) a.row_tags[s] = -1;
  const bool post_activation = !depthwise_lanes::activation_in_registers<F>(*a.act);
  for (int64_t oh = a.row_begin; oh < a.row_end; ++oh) {
    for (int64_t c = 0; c < g.channels; ++c)
      for (int64_t kh = 0; kh < g.kernel[1]; ++kh) {
        const int64_t ih = oh * g.stride[1] - g.pad_begin[1] + kh * g.dilation[1];
        a.tap_rows[c * g.kernel[1] + kh] = ih >= 0 && ih < g.in[1] ? staged_row<F>(a, c, ih) : zero_row;
      }
    output_row_all_blocks<F>(a, oh);
    if (post_activation)
      for (int64_t m = 0; m < a.m; ++m)
        apply_bias_activation(a.out + m * g.out_plane() + oh * g.out[2], g.out[2], 0.f, *a.act);
  }
}

}  // namespace neuropipe::nn::kernels::small_output_lanes
