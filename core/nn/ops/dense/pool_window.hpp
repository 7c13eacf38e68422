#pragma once
// The window walk every pooling op shares: for each output position of a
// (3-D lifted) plane, the range of kernel taps that land inside the input and
// how many taps land inside input + padding (for count_include_pad).
#include <array>
#include <cstdint>

#include "nn/kernels/conv_geometry.hpp"
#include "nn/ops/dense/spatial_attributes.hpp"

namespace neuropipe::nn::ops {

struct PoolWindow {
  std::array<int64_t, 3> start;   // input coordinate of tap 0 (may be negative)
  std::array<int64_t, 3> lo, hi;  // taps [lo, hi) are inside the input
  int64_t padded_taps = 1;        // taps inside input + pads (count_include_pad divisor)
  int64_t valid_taps() const { return (hi[0] - lo[0]) * (hi[1] - lo[1]) * (hi[2] - lo[2]); }
};

// Geometry of a pooling over x's spatial dims (1-D..3-D) from a resolved plan.
inline kernels::ConvGeometry pool_geometry(const Shape& x, const SpatialPlan& p) {
  std::vector<int64_t> in(x.begin() + 2, x.end());
  return kernels::make_conv_geometry(1, in, p.out, p.kernel, p.stride, p.dilation, p.pad_begin);
}

// Calls visit(output_index_in_plane, window) for every output position.
template <class Visit>
void for_each_pool_window(const kernels::ConvGeometry& g, const std::array<int64_t, 3>& pad_end,
                          Visit&& visit) {
  std::array<int64_t, 3> o{0, 0, 0};
  int64_t index = 0;
  for (o[0] = 0; o[0] < g.out[0]; ++o[0])
    for (o[1] = 0; o[1] < g.out[1]; ++o[1])
      for (o[2] = 0; o[2] < g.out[2]; ++o[2], ++index) {
        PoolWindow w;
        for (int d = 0; d < 3; ++d) {
          const int64_t s = o[d] * g.stride[d] - g.pad_begin[d], dil = g.dilation[d], k = g.kernel[d];
          w.start[d] = s;
          w.lo[d] = s >= 0 ? 0 : (-s + dil - 1) / dil;
          w.hi[d] = std::min(k, (g.in[d] - s + dil - 1) / dil);
          if (w.hi[d] < w.lo[d]) w.hi[d] = w.lo[d];
          const int64_t padded_end = g.in[d] + pad_end[d];
          w.padded_taps *= std::min(k, (padded_end - s + dil - 1) / dil);
        }
        visit(index, w);
      }
}

// Pads at the end of each lifted dim (leading dims of lower-rank pools get 0).
inline std::array<int64_t, 3> lifted_pad_end(const SpatialPlan& p) {
  std::array<int64_t, 3> e{0, 0, 0};
  const size_t shift = 3 - p.pad_end.size();
  for (size_t i = 0; i < p.pad_end.size(); ++i) e[shift + i] = p.pad_end[i];
  return e;
}

}  // namespace neuropipe::nn::ops
