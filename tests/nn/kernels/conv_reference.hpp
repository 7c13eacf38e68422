#pragma once
// A convolution case (one group, up to 3-D) and the direct 7-loop reference
// every convolution kernel is checked against.
#include <cstdint>
#include <vector>

#include "nn/kernels/conv_geometry.hpp"

namespace neuropipe::test {

using nn::kernels::ConvGeometry;

struct ConvCase {
  int64_t channels, out_channels;
  ConvGeometry::Dims in, kernel, stride, dilation, pad_begin, pad_end;
};

inline ConvGeometry geometry_of(const ConvCase& c) {
  ConvGeometry g;
  g.channels = c.channels;
  g.in = c.in, g.kernel = c.kernel, g.stride = c.stride, g.dilation = c.dilation, g.pad_begin = c.pad_begin;
  for (int d = 0; d < 3; ++d)
    g.out[d] =
        (c.in[d] + c.pad_begin[d] + c.pad_end[d] - ((c.kernel[d] - 1) * c.dilation[d] + 1)) / c.stride[d] + 1;
  return g;
}

// y[m][o] = sum over c, taps of w[m][c][taps] * x[c][o*stride - pad + tap*dilation] (zero outside).
inline std::vector<float> reference_conv(const ConvGeometry& g, int64_t out_channels,
                                         const std::vector<float>& x, const std::vector<float>& w) {
  std::vector<float> y(static_cast<size_t>(out_channels * g.out_plane()));
  for (int64_t m = 0; m < out_channels; ++m)
    for (int64_t od = 0; od < g.out[0]; ++od)
      for (int64_t oh = 0; oh < g.out[1]; ++oh)
        for (int64_t ow = 0; ow < g.out[2]; ++ow) {
          double s = 0;
          for (int64_t c = 0; c < g.channels; ++c)
            for (int64_t kd = 0; kd < g.kernel[0]; ++kd)
              for (int64_t kh = 0; kh < g.kernel[1]; ++kh)
                for (int64_t kw = 0; kw < g.kernel[2]; ++kw) {
                  const int64_t id = od * g.stride[0] - g.pad_begin[0] + kd * g.dilation[0];
                  const int64_t ih = oh * g.stride[1] - g.pad_begin[1] + kh * g.dilation[1];
                  const int64_t iw = ow * g.stride[2] - g.pad_begin[2] + kw * g.dilation[2];
                  if (id < 0 || id >= g.in[0] || ih < 0 || ih >= g.in[1] || iw < 0 || iw >= g.in[2]) continue;
                  s += double(w[((m * g.channels + c) * g.kernel[0] + kd) * g.kernel[1] * g.kernel[2] +
                                kh * g.kernel[2] + kw]) *
                       x[((c * g.in[0] + id) * g.in[1] + ih) * g.in[2] + iw];
                }
          y[(m * g.out[0] + od) * g.out[1] * g.out[2] + oh * g.out[2] + ow] = static_cast<float>(s);
        }
  return y;
}

}  // namespace neuropipe::test
