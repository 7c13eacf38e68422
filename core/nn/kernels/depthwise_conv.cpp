#include "nn/kernels/depthwise_conv.hpp"

#include <algorithm>
#include <vector>

namespace neuropipe::nn::kernels {

namespace {

// Output columns [lo, hi) whose input column ow*stride - pad + kw*dil lies inside the row.
void valid_columns(const ConvGeometry& g, int64_t kw, int64_t& lo, int64_t& hi) {
  const int64_t offset = kw * g.dilation[2] - g.pad_begin[2], s = g.stride[2];
  lo = offset >= 0 ? 0 : (-offset + s - 1) / s;
  hi = g.in[2] - offset <= 0 ? 0 : std::min(g.out[2], (g.in[2] - offset + s - 1) / s);
  lo = std::min(lo, hi);
}

// 3x3, dilation 1 (MobileNet, YuNet): one pass per output row, nine taps per
// column from three input rows (`rows[kh]`, a zero row where the tap row lies in
// the padding), so the interior columns vectorise as one multiply-add chain per
// output instead of nine read-modify-write passes over the row.
void depthwise_3x3_row(const float* const rows[3], const float* w, const ConvGeometry& g, float* out_row) {
  const int64_t s = g.stride[2], pad = g.pad_begin[2], in_w = g.in[2], out_w = g.out[2];
  // Interior: output columns whose three input columns ow*s - pad + {0,1,2} are all inside.
  const int64_t c0 = std::min(out_w, (pad + s - 1) / s);
  const int64_t c1 = in_w - 3 + pad < 0 ? c0 : std::clamp((in_w - 3 + pad) / s + 1, c0, out_w);
  const float w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3], w4 = w[4], w5 = w[5], w6 = w[6], w7 = w[7], w8 = w[8];
  auto taps = [&](const float* __restrict a, const float* __restrict b, const float* __restrict c) {
    return w0 * a[0] + w1 * a[1] + w2 * a[2] + w3 * b[0] + w4 * b[1] + w5 * b[2] + w6 * c[0] + w7 * c[1] +
           w8 * c[2];
  };
  if (s == 1 && c1 > c0) {  // contiguous: the compiler vectorises this loop
    const int64_t first = c0 - pad;  // input column of output column c0, >= 0 inside the interior
    const float *r0 = rows[0] + first, *r1 = rows[1] + first, *r2 = rows[2] + first;
    float* out = out_row + c0;
    for (int64_t j = 0; j < c1 - c0; ++j) out[j] = taps(r0 + j, r1 + j, r2 + j);
  } else {
    for (int64_t ow = c0; ow < c1; ++ow) {
      const int64_t i = ow * s - pad;
      out_row[ow] = taps(rows[0] + i, rows[1] + i, rows[2] + i);
    }
  }
  // Edge columns: taps in the general kernel's order (kh, then kw), so both paths round alike.
  auto edge = [&](int64_t ow) {
    float acc = 0.f;
    for (int64_t kh = 0; kh < 3; ++kh)
      for (int64_t kw = 0; kw < 3; ++kw) {
        const int64_t i = ow * s - pad + kw;
        if (i >= 0 && i < in_w) acc += w[kh * 3 + kw] * rows[kh][i];
      }
    out_row[ow] = acc;
  };
  for (int64_t ow = 0; ow < c0; ++ow) edge(ow);
  for (int64_t ow = c1; ow < out_w; ++ow) edge(ow);
}

bool is_3x3_unit_dilation(const ConvGeometry& g) {
  return g.kernel[1] == 3 && g.kernel[2] == 3 && g.dilation[1] == 1 && g.dilation[2] == 1;
}

// Adds bias (and the residual row, in the unfused graph's order), then the activation.
void finish_row(float* out_row, int64_t out_w, float bias, const Activation& act, const float* residual_row) {
  if (residual_row) {
    for (int64_t ow = 0; ow < out_w; ++ow) out_row[ow] = (out_row[ow] + bias) + residual_row[ow];
    apply_bias_activation(out_row, out_w, 0.f, act);
  } else {
    apply_bias_activation(out_row, out_w, bias, act);
  }
}

void depthwise_3x3_plane(const float* input, const float* weights, float bias, const Activation& act,
                         const ConvGeometry& g, float* output, const float* residual) {
  const std::vector<float> zeros(static_cast<size_t>(g.in[2]), 0.f);
  for (int64_t oh = 0; oh < g.out[1]; ++oh) {
    const float* rows[3];
    for (int64_t kh = 0; kh < 3; ++kh) {
      const int64_t ih = oh * g.stride[1] - g.pad_begin[1] + kh;
      rows[kh] = ih >= 0 && ih < g.in[1] ? input + ih * g.in[2] : zeros.data();
    }
    float* out_row = output + oh * g.out[2];
    depthwise_3x3_row(rows, weights, g, out_row);
    finish_row(out_row, g.out[2], bias, act, residual ? residual + oh * g.out[2] : nullptr);
  }
}

}  // namespace

void depthwise_conv2d_plane(const float* input, const float* weights, float bias, const Activation& act,
                            const ConvGeometry& g, float* output, const float* residual) {
  if (is_3x3_unit_dilation(g)) return depthwise_3x3_plane(input, weights, bias, act, g, output, residual);
  const int64_t out_w = g.out[2], s = g.stride[2];
  // The valid output columns of each kw depend on kw only: found once per plane,
  // not per row (two divisions each cost more than a short row's FMAs).
  std::vector<int64_t> lo(static_cast<size_t>(g.kernel[2])), hi(lo.size());
  for (int64_t kw = 0; kw < g.kernel[2]; ++kw) valid_columns(g, kw, lo[kw], hi[kw]);
  for (int64_t oh = 0; oh < g.out[1]; ++oh) {
    float* __restrict out_row = output + oh * out_w;
    std::fill_n(out_row, out_w, 0.f);
    for (int64_t kh = 0; kh < g.kernel[1]; ++kh) {
      const int64_t ih = oh * g.stride[1] - g.pad_begin[1] + kh * g.dilation[1];
      if (ih < 0 || ih >= g.in[1]) continue;
      const float* __restrict in_row = input + ih * g.in[2];
      for (int64_t kw = 0; kw < g.kernel[2]; ++kw) {
        const float w = weights[kh * g.kernel[2] + kw];
        const int64_t offset = kw * g.dilation[2] - g.pad_begin[2];
        if (s == 1) {
          for (int64_t ow = lo[kw]; ow < hi[kw]; ++ow) out_row[ow] += w * in_row[ow + offset];
        } else {
          for (int64_t ow = lo[kw]; ow < hi[kw]; ++ow) out_row[ow] += w * in_row[ow * s + offset];
        }
      }
    }
    finish_row(out_row, out_w, bias, act, residual ? residual + oh * out_w : nullptr);
  }
}

}  // namespace neuropipe::nn::kernels
