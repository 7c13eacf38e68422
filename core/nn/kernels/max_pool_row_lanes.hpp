#pragma once
// max_pool_row.hpp's kernels over a GCC vector type F (4, 8 or 16 floats);
// included only by max_pool_row_{scalar,avx2,avx512}.cpp, each with its own F.
#include <cstdint>
#include <limits>

#include "nn/kernels/depthwise_conv_lanes.hpp"
#include "nn/kernels/max_pool_row.hpp"

namespace neuropipe::nn::kernels::max_pool_lanes {

using depthwise_lanes::even_lanes;
using depthwise_lanes::load;
using depthwise_lanes::splat;
using depthwise_lanes::store;
using depthwise_lanes::width;

// out[j] = max over kw < k of row[Stride * j + kw]; Stride 1 or 2 (a stride-2
// vector of taps is the even lanes of a 2n-wide load).
template <class F, int64_t Stride>
void row_strided(const float* row, int64_t k, int64_t count, float* out) {
  static_assert(Stride == 1 || Stride == 2);
  constexpr int64_t n = width<F>();
  constexpr float lowest = std::numeric_limits<float>::lowest();
  int64_t j = 0;
  for (; j + n <= count; j += n) {
    F m = splat<F>(lowest);
    for (int64_t kw = 0; kw < k; ++kw) {
      const float* taps = row + Stride * j + kw;  // row[Stride(j + i) + kw], i < n
      const F v = Stride == 2 ? even_lanes<F>(taps) : load<F>(taps);
      m = v > m ? v : m;
    }
    store<F>(out + j, m);
  }
  for (; j < count; ++j) {
    float m = lowest;
    for (int64_t kw = 0; kw < k; ++kw) m = row[Stride * j + kw] > m ? row[Stride * j + kw] : m;
    out[j] = m;
  }
}

// The whole-vector part of columns; K > 0 fixes the tap count at compile time.
template <class F, int64_t K>
int64_t column_vectors(const float* in, int64_t row_stride, int64_t taps_at_run_time, int64_t count, float* out) {
  constexpr int64_t n = width<F>();
  const int64_t taps = K > 0 ? K : taps_at_run_time;
  int64_t i = 0;
  for (; i + n <= count; i += n) {
    F m = load<F>(in + i);
    for (int64_t t = 1; t < taps; ++t) {
      const F v = load<F>(in + t * row_stride + i);
      m = v > m ? v : m;
    }
    store<F>(out + i, m);
  }
  return i;
}

template <class F>
void columns(const float* in, int64_t row_stride, int64_t taps, int64_t count, float* out) {
  int64_t i = taps == 3 ? column_vectors<F, 3>(in, row_stride, taps, count, out)
                        : column_vectors<F, 0>(in, row_stride, taps, count, out);
  for (; i < count; ++i) {
    float m = in[i];
    for (int64_t t = 1; t < taps; ++t) m = in[t * row_stride + i] > m ? in[t * row_stride + i] : m;
    out[i] = m;
  }
}

// The int32 vector with as many lanes as a float vector of `bytes` bytes (the
// attribute does not take a template-dependent size).
template <unsigned long bytes>
struct IntLanes;
template <>
struct IntLanes<16> {
  typedef int32_t type __attribute__((vector_size(16)));
};
template <>
struct IntLanes<32> {
  typedef int32_t type __attribute__((vector_size(32)));
};
template <>
struct IntLanes<64> {
  typedef int32_t type __attribute__((vector_size(64)));
};

// Scalar form of rows_stride1_same for output j at column col of its row
// (a template over F like everything here, so ISAs' copies never merge).
template <class F>
float window_in_row(const float* row_max, int64_t w, int64_t k, int64_t pad, int64_t j, int64_t col) {
  float m = std::numeric_limits<float>::lowest();
  for (int64_t kw = 0; kw < k; ++kw) {
    const int64_t c = col - pad + kw;
    if (c >= 0 && c < w) m = row_max[j - pad + kw] > m ? row_max[j - pad + kw] : m;
  }
  return m;
}

// Every lane keeps its column in its row; a tap outside the row reads as
// lowest(), which never wins (m >= lowest() and a NaN m cannot occur), so
// the result is exactly that of the taps inside the row.
// The whole-vector part of rows_stride1_same from output j on; K > 0 fixes
// the tap count at compile time (3: unrolled for the common 3x3 pools).
template <class F, int64_t K>
int64_t rows_stride1_same_vectors(const float* row_max, int64_t w, int64_t k, int64_t pad, int64_t count,
                                  int64_t j, float* out) {
  using I = typename IntLanes<sizeof(F)>::type;
  constexpr int64_t n = width<F>();
  const int64_t taps = K > 0 ? K : k;
  const F low = splat<F>(std::numeric_limits<float>::lowest());
  I col;
  for (int64_t i = 0; i < n; ++i) col[i] = static_cast<int32_t>((j + i) % w);
  const int32_t step = static_cast<int32_t>(n % w), width_i = static_cast<int32_t>(w);
  for (; j + n + taps - pad - 2 < count; j += n) {  // all taps of the vector lie in row_max[0, count)
    F m = low;
    for (int64_t kw = 0; kw < taps; ++kw) {
      const I c = col + static_cast<int32_t>(kw - pad);
      const F v = ((c >= 0) & (c < width_i)) ? load<F>(row_max + j - pad + kw) : low;
      m = v > m ? v : m;
    }
    store<F>(out + j, m);
    col += step;
    col = col >= width_i ? col - width_i : col;
  }
  return j;
}

template <class F>
void rows_stride1_same(const float* row_max, int64_t w, int64_t k, int64_t pad, int64_t count, float* out) {
  int64_t j = 0;
  for (; j < pad && j < count; ++j) out[j] = window_in_row<F>(row_max, w, k, pad, j, j % w);
  j = k == 3 ? rows_stride1_same_vectors<F, 3>(row_max, w, k, pad, count, j, out)
             : rows_stride1_same_vectors<F, 0>(row_max, w, k, pad, count, j, out);
  for (; j < count; ++j) out[j] = window_in_row<F>(row_max, w, k, pad, j, j % w);
}

template <class F>
MaxPoolKernels kernels() {
  return {row_strided<F, 2>, row_strided<F, 1>, columns<F>, rows_stride1_same<F>};
}

}  // namespace neuropipe::nn::kernels::max_pool_lanes
