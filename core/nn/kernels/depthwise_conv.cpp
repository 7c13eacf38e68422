#include "nn/kernels/depthwise_conv.hpp"

#include <algorithm>

namespace neuropipe::nn::kernels {

namespace {

// Output columns [lo, hi) whose input column ow*stride - pad + kw*dil lies inside the row.
void valid_columns(const ConvGeometry& g, int64_t kw, int64_t& lo, int64_t& hi) {
  const int64_t offset = kw * g.dilation[2] - g.pad_begin[2], s = g.stride[2];
  lo = offset >= 0 ? 0 : (-offset + s - 1) / s;
  hi = g.in[2] - offset <= 0 ? 0 : std::min(g.out[2], (g.in[2] - offset + s - 1) / s);
  lo = std::min(lo, hi);
}

}  // namespace

void depthwise_conv2d_plane(const float* input, const float* weights, float bias, const Activation& act,
                            const ConvGeometry& g, float* output, const float* residual) {
  const int64_t out_w = g.out[2], s = g.stride[2];
  for (int64_t oh = 0; oh < g.out[1]; ++oh) {
    float* out_row = output + oh * out_w;
    std::fill_n(out_row, out_w, 0.f);
    for (int64_t kh = 0; kh < g.kernel[1]; ++kh) {
      const int64_t ih = oh * g.stride[1] - g.pad_begin[1] + kh * g.dilation[1];
      if (ih < 0 || ih >= g.in[1]) continue;
      const float* in_row = input + ih * g.in[2];
      for (int64_t kw = 0; kw < g.kernel[2]; ++kw) {
        const float w = weights[kh * g.kernel[2] + kw];
        int64_t lo, hi;
        valid_columns(g, kw, lo, hi);
        const int64_t offset = kw * g.dilation[2] - g.pad_begin[2];
        if (s == 1) {
          for (int64_t ow = lo; ow < hi; ++ow) out_row[ow] += w * in_row[ow + offset];
        } else {
          for (int64_t ow = lo; ow < hi; ++ow) out_row[ow] += w * in_row[ow * s + offset];
        }
      }
    }
    if (residual) {  // (conv + bias) + skip, the unfused graph's order
      for (int64_t ow = 0; ow < out_w; ++ow) out_row[ow] = (out_row[ow] + bias) + residual[oh * out_w + ow];
      apply_bias_activation(out_row, out_w, 0.f, act);
    } else {
      apply_bias_activation(out_row, out_w, bias, act);
    }
  }
}

}  // namespace neuropipe::nn::kernels
