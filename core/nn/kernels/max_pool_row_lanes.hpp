#pragma once
// max_pool_row.hpp's kernel over a GCC vector type F (4, 8 or 16 floats);
// included only by max_pool_row_{scalar,avx2,avx512}.cpp, each with its own F.
#include <cstdint>
#include <limits>

#include "nn/kernels/depthwise_conv_lanes.hpp"
#include "nn/kernels/max_pool_row.hpp"

namespace neuropipe::nn::kernels::max_pool_lanes {

using depthwise_lanes::even_lanes;
using depthwise_lanes::splat;
using depthwise_lanes::store;
using depthwise_lanes::width;

template <class F>
void row_stride2(const float* row, int64_t k, int64_t count, float* out) {
  constexpr int64_t n = width<F>();
  constexpr float lowest = std::numeric_limits<float>::lowest();
  int64_t j = 0;
  for (; j + n <= count; j += n) {
    F m = splat<F>(lowest);
    for (int64_t kw = 0; kw < k; ++kw) {
      const F v = even_lanes<F>(row + 2 * j + kw);  // row[2(j + i) + kw], i < n
      m = v > m ? v : m;
    }
    store<F>(out + j, m);
  }
  for (; j < count; ++j) {
    float m = lowest;
    for (int64_t kw = 0; kw < k; ++kw) m = row[2 * j + kw] > m ? row[2 * j + kw] : m;
    out[j] = m;
  }
}

}  // namespace neuropipe::nn::kernels::max_pool_lanes
