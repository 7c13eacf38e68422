// Dispatch and scratch of the depthwise kernels: the per-ISA code stages rows
// and computes, this file (baseline ISA) sizes and owns the buffers. It also
// keeps the row kernel (no staging, compiler-vectorised rows), which costs less
// per row and so wins on narrow planes (measured crossover in use_staged_kernel).
#include "nn/kernels/depthwise_conv.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "neuropipe/error.hpp"

namespace neuropipe::nn::kernels {

namespace {

const DepthwiseKernel& depthwise_kernel(Isa isa) {
  if (!cpu_supports(isa))
    throw Error(std::string("depthwise conv: this CPU does not support ") + isa_name(isa));
  switch (isa) {
    case Isa::avx512:
      return depthwise_kernel_avx512();
    case Isa::avx2:
      return depthwise_kernel_avx2();
    case Isa::scalar:
      break;
  }
  return depthwise_kernel_scalar();
}

// One thread's buffers, reused across planes and calls (kernels run on many threads at once).
struct ScratchBuffers {
  std::vector<float> rows, sums;
  std::vector<int64_t> row_tags, tap_offsets;
  std::vector<const float*> tap_rows;
};

// Sizes the buffers for g: ring rows of `stride` phases, each phase as long as
// the output row rounded up to `block` plus the horizontal reach of the taps
// (ring: the input rows of two output rows), then one zero row (vertical padding); the tap offsets into a staged row.
DepthwiseScratch prepare_scratch(const ConvGeometry& g, int64_t block, ScratchBuffers& buffers) {
  const int64_t stride = g.stride[2], dilation = g.dilation[2];
  DepthwiseScratch s;
  s.row_len = (g.out[2] + block - 1) / block * block + (g.kernel[2] - 1) * dilation / stride;
  // The input rows of two consecutive output rows (3x3 kernels compute rows in pairs).
  s.ring = (g.kernel[1] - 1) * g.dilation[1] + 1 + g.stride[1];
  const size_t row_floats = static_cast<size_t>(stride * s.row_len);
  buffers.rows.resize(static_cast<size_t>(s.ring + 1) * row_floats);
  std::fill(buffers.rows.end() - static_cast<std::ptrdiff_t>(row_floats), buffers.rows.end(), 0.f);
  buffers.row_tags.resize(static_cast<size_t>(s.ring));
  buffers.tap_offsets.resize(static_cast<size_t>(g.kernel[2]));
  for (int64_t kw = 0; kw < g.kernel[2]; ++kw)
    buffers.tap_offsets[kw] = (kw * dilation % stride) * s.row_len + kw * dilation / stride;
  buffers.tap_rows.resize(static_cast<size_t>(2 * g.kernel[1]));  // two output rows' taps
  s.rows = buffers.rows.data();
  s.row_tags = buffers.row_tags.data();
  s.tap_offsets = buffers.tap_offsets.data();
  s.tap_rows = buffers.tap_rows.data();
  return s;
}

// The flattened kernel's buffers: the zero-padded plane (plus the reads past
// its last row, see flat_plane) and the per-position sums.
DepthwiseScratch prepare_flat_scratch(const ConvGeometry& g, int64_t block, ScratchBuffers& buffers) {
  DepthwiseScratch s;
  s.pitch = g.out[2] + (g.kernel[2] - 1) * g.dilation[2];
  const int64_t padded_h = g.out[1] + (g.kernel[1] - 1) * g.dilation[1];
  const int64_t runs = (g.out[1] * s.pitch + block - 1) / block * block;
  const int64_t tail = runs - g.out[1] * s.pitch + (g.kernel[2] - 1) * g.dilation[2];
  buffers.rows.resize(static_cast<size_t>(padded_h * s.pitch + tail));
  buffers.sums.resize(static_cast<size_t>(runs + block));
  s.rows = buffers.rows.data();
  s.sums = buffers.sums.data();
  return s;
}

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
  const float w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3], w4 = w[4], w5 = w[5], w6 = w[6], w7 = w[7],
              w8 = w[8];
  auto taps = [&](const float* __restrict a, const float* __restrict b, const float* __restrict c) {
    return w0 * a[0] + w1 * a[1] + w2 * a[2] + w3 * b[0] + w4 * b[1] + w5 * b[2] + w6 * c[0] + w7 * c[1] +
           w8 * c[2];
  };
  if (s == 1 && c1 > c0) {           // contiguous: the compiler vectorises this loop
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

// The row kernel: taps accumulated over whole output rows in plain loops the
// compiler vectorises (baseline ISA); no staging, so less fixed cost per row.
void row_kernel_plane(const float* input, const float* weights, float bias, const Activation& act,
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

// The staged vector kernel pays its fixed cost per row (staging, tap set-up)
// back on wide rows: stride 1, 1.2x the row kernel at 40 output columns, 1.5x
// at 80, 1.9x at 160; stride 2 (phase split with vector shuffles), 1.35x at
// 56 columns. Below 32 columns the row kernel is as fast or faster (0.7-1.0x),
// and strides above 2 stage column by column (measured on Zen 5, AVX-512, 1 thread).
bool use_staged_kernel(const ConvGeometry& g) { return g.stride[2] <= 2 && g.out[2] >= 32; }

// Stride-1 planes below 64 output columns take the flattened kernel
// (OH x (OW + reach) positions as one run of full vectors, no per-row set-up).
// Measured against the staged/row kernels (3x3, AVX-512, 1 thread, all
// channels of a layer): 7x7x960 0.138 -> 0.092 ms, 14x14x576 0.195 -> 0.145,
// 20x20x64 0.036 -> 0.023, 28x28x192 0.170 -> 0.106, 40x40x64 0.084 -> 0.056,
// 56x56x144 0.295 -> 0.202; at 80 and 160 columns the two are even.
bool use_flat_kernel(const ConvGeometry& g) { return g.stride[1] == 1 && g.stride[2] == 1 && g.out[2] < 64; }

}  // namespace

void depthwise_conv2d_plane(Isa isa, const float* input, const float* weights, float bias,
                            const Activation& act, const ConvGeometry& g, float* output,
                            const float* residual) {
  const DepthwiseKernel& kernel = depthwise_kernel(isa);
  thread_local ScratchBuffers buffers;
  const DepthwiseScratch scratch = use_flat_kernel(g) ? prepare_flat_scratch(g, kernel.block, buffers)
                                                      : prepare_scratch(g, kernel.block, buffers);
  kernel.plane(DepthwisePlane{input, weights, bias, &act, &g, output, residual, scratch});
}

void depthwise_conv2d_plane(const float* input, const float* weights, float bias, const Activation& act,
                            const ConvGeometry& g, float* output, const float* residual) {
  static const Isa isa = best_isa();
  if (use_flat_kernel(g) || use_staged_kernel(g))
    depthwise_conv2d_plane(isa, input, weights, bias, act, g, output, residual);
  else
    row_kernel_plane(input, weights, bias, act, g, output, residual);
}

void depthwise_conv2d_plane_row_kernel(const float* input, const float* weights, float bias,
                                       const Activation& act, const ConvGeometry& g, float* output,
                                       const float* residual) {
  row_kernel_plane(input, weights, bias, act, g, output, residual);
}

}  // namespace neuropipe::nn::kernels
