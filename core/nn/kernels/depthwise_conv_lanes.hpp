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

// Two output rows (oh, oh + 1) of a 3x3 kernel at once, U vectors of each
// from column j. Each output's taps are still one chain in (kh, kw) order
// (same rounding as fixed_block), but the two rows' chains are independent:
// without FMA contraction every tap is a multiply and a dependent add, so a
// single row's 1-4 chains left the adder waiting on its latency (measured:
// the 64 x 80 x 80 layers of YuNet ran at ~32 GFLOP/s alone). Row oh's last
// partial vector goes through temporaries (room0 = its width), since row
// oh + 1 is stored before it ends.
template <class F, int U>
inline void fixed_block_pair(const F* w, const float* const* tap0, const float* const* tap1, F bias, int64_t j,
                             int64_t count, int64_t room0, int64_t room1, const float* res0, const float* res1,
                             const Activation& act, float* out0, float* out1) {
  constexpr int64_t n = width<F>();
  F acc0[U] = {}, acc1[U] = {};
#pragma GCC unroll 9
  for (int t = 0; t < 9; ++t)
#pragma GCC unroll 4
    for (int u = 0; u < U; ++u) {
      acc0[u] += w[t] * load<F>(tap0[t] + j + u * n);
      acc1[u] += w[t] * load<F>(tap1[t] + j + u * n);
    }
#pragma GCC unroll 4
  for (int u = 0; u < U; ++u) {
    const int64_t at = j + u * n, columns = count - u * n < n ? count - u * n : n;
    if (at + n <= room0)
      store<F>(out0 + at, finish<F>(acc0[u], bias, res0 ? res0 + at : nullptr, act));
    else
      finish_partial<F>(acc0[u], bias, res0 ? res0 + at : nullptr, act, columns, out0 + at);
    if (at + n <= room1)
      store<F>(out1 + at, finish<F>(acc1[u], bias, res1 ? res1 + at : nullptr, act));
    else
      finish_partial<F>(acc1[u], bias, res1 ? res1 + at : nullptr, act, columns, out1 + at);
  }
}

// Output rows oh and oh + 1 of a 3x3 kernel: tap_rows holds row oh's three
// staged rows, then row oh + 1's.
template <class F>
void conv_row_pair_3x3(const DepthwisePlane& a, float* out0, const float* res0, int64_t room1) {
  constexpr int64_t n = width<F>(), block = kUnroll * n;
  const int64_t out_w = a.g->out[2];
  float* out1 = out0 + out_w;
  const float* res1 = res0 ? res0 + out_w : nullptr;
  const Activation& act = *a.act;
  F w[9];
  const float *tap0[9], *tap1[9];
#pragma GCC unroll 9
  for (int t = 0; t < 9; ++t) {
    w[t] = splat<F>(a.weights[t]);
    tap0[t] = a.scratch.tap_rows[t / 3] + a.scratch.tap_offsets[t % 3];
    tap1[t] = a.scratch.tap_rows[3 + t / 3] + a.scratch.tap_offsets[t % 3];
  }
  const F bias = splat<F>(a.bias);
  int64_t j = 0;
  for (; j + block <= out_w; j += block)
    fixed_block_pair<F, kUnroll>(w, tap0, tap1, bias, j, block, out_w, room1, res0, res1, act, out0, out1);
  const int64_t left = out_w - j;
  switch ((left + n - 1) / n) {
    case 1:
      return fixed_block_pair<F, 1>(w, tap0, tap1, bias, j, left, out_w, room1, res0, res1, act, out0, out1);
    case 2:
      return fixed_block_pair<F, 2>(w, tap0, tap1, bias, j, left, out_w, room1, res0, res1, act, out0, out1);
    case 3:
      return fixed_block_pair<F, 3>(w, tap0, tap1, bias, j, left, out_w, room1, res0, res1, act, out0, out1);
    case 4:
      return fixed_block_pair<F, 4>(w, tap0, tap1, bias, j, left, out_w, room1, res0, res1, act, out0, out1);
    default:
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

// sums[j] for j < runs (a multiple of kUnroll vectors) over the padded plane;
// K = 3: a 3x3 kernel with weights and tap offsets in registers, K = 0: any.
template <class F, int K>
void flat_sums(const DepthwisePlane& a, int64_t runs) {
  constexpr int64_t n = width<F>(), block = kUnroll * n;
  const ConvGeometry& g = *a.g;
  const DepthwiseScratch& s = a.scratch;
  const int64_t kh_n = K ? K : g.kernel[1], kw_n = K ? K : g.kernel[2];
  const int64_t taps = kh_n * kw_n;
  constexpr int kMaxTaps = 64;  // larger kernels: weights broadcast per block
  int64_t offset[kMaxTaps];
  F w[K ? K * K : 1];
  for (int64_t t = 0; t < taps && t < kMaxTaps; ++t)
    offset[t] = (t / kw_n) * g.dilation[1] * s.pitch + (t % kw_n) * g.dilation[2];
  if constexpr (K > 0)
    for (int t = 0; t < K * K; ++t) w[t] = splat<F>(a.weights[t]);
  for (int64_t j = 0; j < runs; j += block) {
    F acc[kUnroll] = {};
    if constexpr (K > 0) {
#pragma GCC unroll 9
      for (int t = 0; t < K * K; ++t)
#pragma GCC unroll 4
        for (int u = 0; u < kUnroll; ++u) acc[u] += w[t] * load<F>(s.rows + offset[t] + j + u * n);
    } else {
      for (int64_t t = 0; t < taps; ++t) {
        const F wt = splat<F>(a.weights[t]);
        const float* p = s.rows + j +
                         (t < kMaxTaps ? offset[t] : (t / kw_n) * g.dilation[1] * s.pitch + (t % kw_n) * g.dilation[2]);
#pragma GCC unroll 4
        for (int u = 0; u < kUnroll; ++u) acc[u] += wt * load<F>(p + u * n);
      }
    }
#pragma GCC unroll 4
    for (int u = 0; u < kUnroll; ++u) store<F>(s.sums + j + u * n, acc[u]);
  }
}

// The flattened kernel for stride 1: the plane zero-padded into rows `pitch`
// floats apart (pitch = out_w + the taps' horizontal reach), so output (oh, ow)
// is sum over taps of w * padded[(oh + kh*dh) * pitch + ow + kw*dw]: every
// tap of the whole plane is one contiguous run over j = oh * pitch + ow, the
// columns ow >= out_w computed and dropped. Taps in (kh, kw) order, one
// multiply and add each, as in the other kernels (same rounding).
template <class F>
void flat_plane(const DepthwisePlane& a) {
  constexpr int64_t n = width<F>(), block = kUnroll * n;
  const ConvGeometry& g = *a.g;
  const DepthwiseScratch& s = a.scratch;
  const int64_t pitch = s.pitch, out_w = g.out[2], out_h = g.out[1];
  const int64_t padded_h = out_h + (g.kernel[1] - 1) * g.dilation[1];
  const int64_t total = out_h * pitch, runs = (total + block - 1) / block * block;  // sums: runs + n floats
  const int64_t tail = runs - total + (g.kernel[2] - 1) * g.dilation[2];  // read past the last padded row
  for (int64_t r = 0; r < padded_h; ++r) {
    const int64_t ih = r - g.pad_begin[1];
    float* dst = s.rows + r * pitch;
    if (ih >= 0 && ih < g.in[1])
      stage_phase<F>(a.input + ih * g.in[2], g.in[2], -g.pad_begin[2], 1, pitch, dst);
    else
      __builtin_memset(dst, 0, static_cast<size_t>(pitch) * sizeof(float));
  }
  __builtin_memset(s.rows + padded_h * pitch, 0, static_cast<size_t>(tail) * sizeof(float));
  if (g.kernel[1] == 3 && g.kernel[2] == 3)
    flat_sums<F, 3>(a, runs);
  else
    flat_sums<F, 0>(a, runs);
  const F bias = splat<F>(a.bias);
  const Activation& act = *a.act;
  for (int64_t oh = 0; oh < out_h; ++oh) {
    const float* sum = s.sums + oh * pitch;
    float* out = a.output + oh * out_w;
    const float* res = a.residual ? a.residual + oh * out_w : nullptr;
    int64_t j = 0;
    for (; j + n <= out_w; j += n) store<F>(out + j, finish<F>(load<F>(sum + j), bias, res ? res + j : nullptr, act));
    if (j < out_w) finish_partial<F>(load<F>(sum + j), bias, res ? res + j : nullptr, act, out_w - j, out + j);
  }
  if (!activation_in_registers<F>(act)) apply_bias_activation(a.output, out_h * out_w, 0.f, act);
}

// Points tap_rows[first + kh] at the staged input rows of output row oh.
template <class F>
inline void stage_taps(const DepthwisePlane& a, int64_t oh, const float* zero_row, int64_t first) {
  const ConvGeometry& g = *a.g;
  for (int64_t kh = 0; kh < g.kernel[1]; ++kh) {
    const int64_t ih = oh * g.stride[1] - g.pad_begin[1] + kh * g.dilation[1];
    a.scratch.tap_rows[first + kh] = ih >= 0 && ih < g.in[1] ? staged_row<F>(a, ih) : zero_row;
  }
}

template <class F>
void plane(const DepthwisePlane& a) {
  if (a.scratch.pitch > 0) return flat_plane<F>(a);
  const ConvGeometry& g = *a.g;
  const DepthwiseScratch& s = a.scratch;
  const float* zero_row = s.rows + s.ring * g.stride[2] * s.row_len;
  for (int64_t r = 0; r < s.ring; ++r) s.row_tags[r] = -1;
  const bool post_activation = !activation_in_registers<F>(*a.act);
  const bool is_3x3 = g.kernel[1] == 3 && g.kernel[2] == 3;
  // Rows of fewer than two register blocks end in a short block with 1-4
  // latency-bound chains; pairs of rows double them (80 columns: 0.232 ->
  // 0.207 ms for 64 planes). Wider rows already keep kUnroll chains busy and
  // lose to the pairs' register spills (640 columns: 0.153 -> 0.177 ms).
  const bool pairs = is_3x3 && g.out[2] < 2 * kUnroll * width<F>();
  for (int64_t oh = 0; oh < g.out[1];) {
    float* out_row = a.output + oh * g.out[2];
    const float* res_row = a.residual ? a.residual + oh * g.out[2] : nullptr;
    stage_taps<F>(a, oh, zero_row, 0);
    int64_t done = 1;
    if (pairs && oh + 1 < g.out[1]) {  // the ring holds both rows' inputs (prepare_scratch)
      stage_taps<F>(a, oh + 1, zero_row, 3);
      conv_row_pair_3x3<F>(a, out_row, res_row, (g.out[1] - oh - 1) * g.out[2]);
      done = 2;
    } else {
      const int64_t room = (g.out[1] - oh) * g.out[2];  // floats from out_row to the plane's end
      if (is_3x3)
        conv_row_fixed<F, 3>(a, out_row, res_row, room);
      else if (g.kernel[1] == 5 && g.kernel[2] == 5)
        conv_row_fixed<F, 5>(a, out_row, res_row, room);
      else
        conv_row_any<F>(a, out_row, res_row, room);
    }
    if (post_activation) apply_bias_activation(out_row, done * g.out[2], 0.f, *a.act);
    oh += done;
  }
}

}  // namespace neuropipe::nn::kernels::depthwise_lanes
