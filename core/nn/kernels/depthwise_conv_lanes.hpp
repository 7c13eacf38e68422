#pragma once
// The depthwise kernel of depthwise_conv.hpp written once over a GCC vector
// type F (4, 8 or 16 floats). Only depthwise_conv_{scalar,avx2,avx512}.cpp
// include this, each with its own F; everything here is a template over F and
// uses no std:: templates, so no function compiled for one ISA can be merged
// into another ISA's code by the linker.
#include <cstdint>

#include "nn/kernels/depthwise_conv.hpp"

namespace neuropipe::nn::kernels::depthwise_lanes {

constexpr int kUnroll = 4;  // vectors per register block of output columns

template <class F>
constexpr int64_t width() {
  return static_cast<int64_t>(sizeof(F) / sizeof(float));
}
template <class F>
inline F load(const float* p) {
  F v;
  __builtin_memcpy(&v, p, sizeof(F));
  return v;
}
template <class F>
inline void store(float* p, const F& v) {
  __builtin_memcpy(p, &v, sizeof(F));
}
template <class F>
inline F splat(float v) {
  return F{} + v;
}

// The even-indexed floats of the 2n floats at p (n = lanes of F).
// __builtin_shufflevector (GCC >= 12 and clang) takes constant indices, hence
// one spelled-out list per width.
template <class F>
inline F even_lanes(const float* p) {
  constexpr int64_t n = width<F>();
  static_assert(n == 4 || n == 8 || n == 16, "F holds 4, 8 or 16 floats");
  const F a = load<F>(p), b = load<F>(p + n);
  if constexpr (n == 4) {
    return __builtin_shufflevector(a, b, 0, 2, 4, 6);
  } else if constexpr (n == 8) {
    return __builtin_shufflevector(a, b, 0, 2, 4, 6, 8, 10, 12, 14);
  } else {
    return __builtin_shufflevector(a, b, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
  }
}

// dst[i] = input column first + i*step (zero outside [0, in_w)) for i < len:
// one phase of a staged row (first = phase - pad_left).
template <class F>
void stage_phase(const float* in, int64_t in_w, int64_t first, int64_t step, int64_t len, float* dst) {
  int64_t lo = first >= 0 ? 0 : (-first + step - 1) / step;
  int64_t hi = in_w - first <= 0 ? 0 : (in_w - first + step - 1) / step;
  lo = lo < len ? lo : len;
  hi = hi < len ? hi : len;
  hi = hi > lo ? hi : lo;
  __builtin_memset(dst, 0, static_cast<size_t>(lo) * sizeof(float));
  if (step == 1) {
    __builtin_memcpy(dst + lo, in + first + lo, static_cast<size_t>(hi - lo) * sizeof(float));
  } else {
    int64_t i = lo;
    if (step == 2)  // stride-2 layers: whole vectors while both source vectors lie inside the row
      for (constexpr int64_t n = width<F>(); i + n <= hi && first + 2 * (i + n) <= in_w; i += n)
        store<F>(dst + i, even_lanes<F>(in + first + 2 * i));
    for (; i < hi; ++i) dst[i] = in[first + i * step];
  }
  __builtin_memset(dst + hi, 0, static_cast<size_t>(len - hi) * sizeof(float));
}

// The staged (padded, phase-split) copy of input row ih, staged on first use.
template <class F>
const float* staged_row(const DepthwisePlane& a, int64_t ih) {
  const ConvGeometry& g = *a.g;
  const DepthwiseScratch& s = a.scratch;
  const int64_t stride = g.stride[2], slot = ih % s.ring;
  float* row = s.rows + slot * stride * s.row_len;
  if (s.row_tags[slot] != ih) {
    const float* in = a.input + ih * g.in[2];
    for (int64_t p = 0; p < stride; ++p)
      stage_phase<F>(in, g.in[2], p - g.pad_begin[2], stride, s.row_len, row + p * s.row_len);
    s.row_tags[slot] = ih;
  }
  return row;
}

// Bias, then the residual (the unfused graph's (conv + B) + skip), then the
// activations that are one compare-select; the others run over the finished row.
template <class F>
inline F finish(F v, F bias, const float* residual, const Activation& act) {
  v = v + bias;
  if (residual) v = v + load<F>(residual);
  switch (act.kind) {
    case Activation::Kind::relu:  // x < 0 ? 0 : x keeps NaN, as std::max(x, 0) does
      return v < 0.f ? splat<F>(0.f) : v;
    case Activation::Kind::clip:
      v = v < act.alpha ? splat<F>(act.alpha) : v;
      return act.beta < v ? splat<F>(act.beta) : v;
    case Activation::Kind::leaky_relu:
      return v < 0.f ? v * act.alpha : v;
    default:
      return v;
  }
}

template <class F>
bool activation_in_registers(const Activation& act) {
  return act.kind == Activation::Kind::none || act.kind == Activation::Kind::relu ||
         act.kind == Activation::Kind::clip || act.kind == Activation::Kind::leaky_relu;
}

// The last, partial vector of a plane: through temporaries, so nothing past
// the plane's end (or the residual plane's) is read or written. A partial
// vector of an earlier row is stored whole instead: its extra lanes land in the
// next row, which is computed later and overwrites them.
template <class F>
inline void finish_partial(F acc, F bias, const float* res_row, const Activation& act, int64_t count,
                           float* out) {
  constexpr int64_t n = width<F>();
  float res[n] = {}, done[n];
  if (res_row)
    for (int64_t i = 0; i < count; ++i) res[i] = res_row[i];
  store<F>(done, finish<F>(acc, bias, res_row ? res : nullptr, act));
  for (int64_t i = 0; i < count; ++i) out[i] = done[i];
}

// U vectors of output columns from column j of a K x K kernel. The taps are
// summed in one chain per vector in (kh, kw) order, the order of the row kernel
// and of the reference: per-kernel-row partial sums were not measurably faster
// and round differently, which reorders near-tied detections (Faster R-CNN
// MobileNetV3 parity: 94/100 boxes instead of 95). The last vector may be
// partial (`count` columns < U*n); see finish_partial.
template <class F, int K, int U>
inline void fixed_block(const F* w, const float* const* tap, F bias, int64_t j, int64_t count, int64_t room,
                        const float* res_row, const Activation& act, float* out_row) {
  constexpr int64_t n = width<F>();
  F acc[U] = {};
#pragma GCC unroll 49
  for (int t = 0; t < K * K; ++t)
#pragma GCC unroll 4
    for (int u = 0; u < U; ++u) acc[u] += w[t] * load<F>(tap[t] + j + u * n);
#pragma GCC unroll 4
  for (int u = 0; u < U; ++u) {
    const F sum = acc[u];
    const int64_t at = j + u * n, columns = count - u * n < n ? count - u * n : n;
    if (at + n <= room)
      store<F>(out_row + at, finish<F>(sum, bias, res_row ? res_row + at : nullptr, act));
    else
      finish_partial<F>(sum, bias, res_row ? res_row + at : nullptr, act, columns, out_row + at);
  }
}

// One output row of a K x K kernel (K > 0): weights and tap pointers stay in
// registers for the whole row; blocks of kUnroll full vectors, then one block
// of the 1-4 vectors left (narrow rows are one such block).
template <class F, int K>
void conv_row_fixed(const DepthwisePlane& a, float* out_row, const float* res_row, int64_t room) {
  constexpr int64_t n = width<F>(), block = kUnroll * n;
  const int64_t out_w = a.g->out[2];
  const Activation& act = *a.act;
  F w[K * K];
  const float* tap[K * K];
#pragma GCC unroll 49
  for (int t = 0; t < K * K; ++t) {
    w[t] = splat<F>(a.weights[t]);
    tap[t] = a.scratch.tap_rows[t / K] + a.scratch.tap_offsets[t % K];
  }
  const F bias = splat<F>(a.bias);
  int64_t j = 0;
  for (; j + block <= out_w; j += block)
    fixed_block<F, K, kUnroll>(w, tap, bias, j, block, room, res_row, act, out_row);
  const int64_t left = out_w - j;
  switch ((left + n - 1) / n) {
    case 1:
      return fixed_block<F, K, 1>(w, tap, bias, j, left, room, res_row, act, out_row);
    case 2:
      return fixed_block<F, K, 2>(w, tap, bias, j, left, room, res_row, act, out_row);
    case 3:
      return fixed_block<F, K, 3>(w, tap, bias, j, left, room, res_row, act, out_row);
    case 4:  // kUnroll vectors, the last one partial
      return fixed_block<F, K, 4>(w, tap, bias, j, left, room, res_row, act, out_row);
    default:  // nothing left
      return;
  }
}

// One output row of any kernel: weights broadcast per block.
template <class F>
void conv_row_any(const DepthwisePlane& a, float* out_row, const float* res_row, int64_t room) {
  constexpr int64_t n = width<F>(), block = kUnroll * n;
  const ConvGeometry& g = *a.g;
  const int64_t kh_n = g.kernel[1], kw_n = g.kernel[2], out_w = g.out[2];
  const float* const* rows = a.scratch.tap_rows;
  const int64_t* offsets = a.scratch.tap_offsets;
  const Activation& act = *a.act;
  const F bias = splat<F>(a.bias);
  int64_t j = 0;
  for (; j + block <= out_w; j += block) {
    F acc[kUnroll] = {};
    for (int64_t kh = 0; kh < kh_n; ++kh)
      for (int64_t kw = 0; kw < kw_n; ++kw) {
        const F wt = splat<F>(a.weights[kh * kw_n + kw]);
        const float* p = rows[kh] + offsets[kw] + j;
#pragma GCC unroll 4
        for (int u = 0; u < kUnroll; ++u) acc[u] += wt * load<F>(p + u * n);
      }
#pragma GCC unroll 4
    for (int u = 0; u < kUnroll; ++u)
      store<F>(out_row + j + u * n, finish<F>(acc[u], bias, res_row ? res_row + j + u * n : nullptr, act));
  }
  for (; j < out_w; j += n) {
    F acc = {};
    for (int64_t kh = 0; kh < kh_n; ++kh)
      for (int64_t kw = 0; kw < kw_n; ++kw)
        acc += splat<F>(a.weights[kh * kw_n + kw]) * load<F>(rows[kh] + offsets[kw] + j);
    if (j + n <= room)
      store<F>(out_row + j, finish<F>(acc, bias, res_row ? res_row + j : nullptr, act));
    else
      finish_partial<F>(acc, bias, res_row ? res_row + j : nullptr, act, out_w - j, out_row + j);
  }
}

template <class F>
void plane(const DepthwisePlane& a) {
  const ConvGeometry& g = *a.g;
  const DepthwiseScratch& s = a.scratch;
  const float* zero_row = s.rows + s.ring * g.stride[2] * s.row_len;
  for (int64_t r = 0; r < s.ring; ++r) s.row_tags[r] = -1;
  const bool post_activation = !activation_in_registers<F>(*a.act);
  for (int64_t oh = 0; oh < g.out[1]; ++oh) {
    for (int64_t kh = 0; kh < g.kernel[1]; ++kh) {
      const int64_t ih = oh * g.stride[1] - g.pad_begin[1] + kh * g.dilation[1];
      s.tap_rows[kh] = ih >= 0 && ih < g.in[1] ? staged_row<F>(a, ih) : zero_row;
    }
    float* out_row = a.output + oh * g.out[2];
    const float* res_row = a.residual ? a.residual + oh * g.out[2] : nullptr;
    const int64_t room = (g.out[1] - oh) * g.out[2];  // floats from out_row to the plane's end
    if (g.kernel[1] == 3 && g.kernel[2] == 3)
      conv_row_fixed<F, 3>(a, out_row, res_row, room);
    else if (g.kernel[1] == 5 && g.kernel[2] == 5)
      conv_row_fixed<F, 5>(a, out_row, res_row, room);
    else
      conv_row_any<F>(a, out_row, res_row, room);
    if (post_activation) apply_bias_activation(out_row, g.out[2], 0.f, *a.act);
  }
}

}  // namespace neuropipe::nn::kernels::depthwise_lanes
