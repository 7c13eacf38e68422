#include "nn/kernels/conv_shifted.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "neuropipe/error.hpp"

namespace neuropipe::nn::kernels {

namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Sizes of the phase images: tall and wide enough for every tap of every output pixel.
struct PhaseLayout {
  int64_t sh, sw;  // strides = phases per dim
  int64_t hq, wq;  // one phase plane
  int64_t channels;
  int64_t plane() const { return hq * wq; }
  int64_t phase_size() const { return channels * plane(); }
  int64_t size() const { return sh * sw * phase_size(); }
};

PhaseLayout phase_layout(const ConvGeometry& g) {
  PhaseLayout p{g.stride[1], g.stride[2], 0, 0, g.channels};
  const int64_t rows = (g.out[1] - 1) * g.stride[1] + (g.kernel[1] - 1) * g.dilation[1] + 1;
  const int64_t cols = (g.out[2] - 1) * g.stride[2] + (g.kernel[2] - 1) * g.dilation[2] + 1;
  p.hq = ceil_div(rows, p.sh);
  p.wq = ceil_div(cols, p.sw);
  return p;
}

// Phase indices j in [begin, end) whose padded column j*s + phase - pad falls inside [0, size).
struct Span {
  int64_t begin, end;
};
Span inside_span(int64_t phase, int64_t s, int64_t pad, int64_t size, int64_t count) {
  const int64_t begin = phase >= pad ? 0 : ceil_div(pad - phase, s);
  const int64_t last = size - 1 + pad - phase;  // j*s <= last
  const int64_t end = last < 0 ? 0 : std::min(count, last / s + 1);
  return {std::min(begin, end), end};
}

// Writes the zero-padded image into its phase planes (channels [c_begin, c_end)).
void fill_phases(const float* image, const ConvGeometry& g, const PhaseLayout& p, int64_t c_begin,
                 int64_t c_end, float* phases) {
  const int64_t h = g.in[1], w = g.in[2];
  for (int64_t py = 0; py < p.sh; ++py)
    for (int64_t px = 0; px < p.sw; ++px) {
      const Span rows = inside_span(py, p.sh, g.pad_begin[1], h, p.hq);
      const Span cols = inside_span(px, p.sw, g.pad_begin[2], w, p.wq);
      const int64_t first_col = cols.begin * p.sw + px - g.pad_begin[2];
      for (int64_t c = c_begin; c < c_end; ++c) {
        float* plane = phases + (py * p.sw + px) * p.phase_size() + c * p.plane();
        const float* src_plane = image + c * g.in_plane();
        std::fill_n(plane, rows.begin * p.wq, 0.f);
        for (int64_t i = rows.begin; i < rows.end; ++i) {
          float* dst = plane + i * p.wq;
          const float* src = src_plane + (i * p.sh + py - g.pad_begin[1]) * w + first_col;
          std::fill_n(dst, cols.begin, 0.f);
          if (p.sw == 1) {
            std::memcpy(dst + cols.begin, src, static_cast<size_t>(cols.end - cols.begin) * sizeof(float));
          } else {
            for (int64_t j = cols.begin; j < cols.end; ++j) dst[j] = src[(j - cols.begin) * p.sw];
          }
          std::fill(dst + cols.end, dst + p.wq, 0.f);
        }
        std::fill(plane + rows.end * p.wq, plane + p.plane(), 0.f);
      }
    }
}

// Start of each im2col row (c, kh, kw) in the phase buffer.
std::vector<int64_t> tap_offsets(const ConvGeometry& g, const PhaseLayout& p) {
  std::vector<int64_t> offsets;
  offsets.reserve(static_cast<size_t>(g.patch_size()));
  for (int64_t c = 0; c < g.channels; ++c)
    for (int64_t kh = 0; kh < g.kernel[1]; ++kh)
      for (int64_t kw = 0; kw < g.kernel[2]; ++kw) {
        const int64_t dh = kh * g.dilation[1], dw = kw * g.dilation[2];
        const int64_t phase = (dh % p.sh) * p.sw + dw % p.sw;
        offsets.push_back(phase * p.phase_size() + c * p.plane() + (dh / p.sh) * p.wq + dw / p.sw);
      }
  return offsets;
}

// Y rows [m_begin, m_end) from the GEMM result laid out at width Wq: junk
// columns dropped, then (value + bias) + skip and the activation, in the order
// of the unfused graph (as the GEMM's own epilogue).
void write_output(const float* wide, const ConvGeometry& g, int64_t wq, const GemmC& c, int64_t m_begin,
                  int64_t m_end) {
  const int64_t out_h = g.out[1], out_w = g.out[2];
  for (int64_t m = m_begin; m < m_end; ++m) {
    const float bias = c.row_bias ? c.row_bias[m] : 0.f;
    for (int64_t oh = 0; oh < out_h; ++oh) {
      const float* src = wide + (m * out_h + oh) * wq;
      float* dst = c.data + m * c.ldc + oh * out_w;
      if (c.residual) {
        const float* skip = c.residual + m * c.ldc + oh * out_w;
        for (int64_t j = 0; j < out_w; ++j) dst[j] = (src[j] + bias) + skip[j];
        apply_bias_activation(dst, out_w, 0.f, c.activation);
      } else {
        std::memcpy(dst, src, static_cast<size_t>(out_w) * sizeof(float));
        apply_bias_activation(dst, out_w, bias, c.activation);
      }
    }
  }
}

void for_range(int64_t count, bool parallel, const std::function<void(int64_t, int64_t)>& body) {
  if (!parallel || count < 2) return body(0, count);
  tbb::parallel_for(tbb::blocked_range<int64_t>(0, count),
                    [&](const tbb::blocked_range<int64_t>& r) { body(r.begin(), r.end()); });
}

// Output rows per band: large images run in bands of rows so that the GEMM
// result (M x rows x Wq) and the band's phase images stay a few MB, cache
// friendly and below the C library's mmap threshold (a buffer of tens of MB
// is mapped and page-faulted afresh on every call).
int64_t band_rows(const ConvGeometry& g, int64_t m) {
  constexpr int64_t kWideFloats = int64_t{1} << 20, kPhaseFloats = int64_t{1} << 21;
  const PhaseLayout p = phase_layout(g);
  const int64_t by_output = kWideFloats / std::max<int64_t>(1, m * p.wq);
  const int64_t extent = (g.kernel[1] - 1) * g.dilation[1] + 1;
  const int64_t padded_width = p.wq * p.sw;
  const int64_t by_phases =
      (kPhaseFloats / std::max<int64_t>(1, g.channels * padded_width) - extent) / g.stride[1];
  return std::clamp<int64_t>(std::min(by_output, by_phases), 1, g.out[1]);
}

// One band (or the whole image): phase images, the GEMM reading them in place, Y written.
void conv_band(const GemmMicroKernel& kernel, const PackedA& weights, const float* image,
               const ConvGeometry& g, const GemmC& c, bool parallel) {
  const PhaseLayout p = phase_layout(g);
  const int64_t m = weights.rows(), n = g.out[1] * p.wq;
  // Slack past the last plane: the junk columns of the last row and the edge
  // tile's extra columns read up to wq + nr values beyond it (zeros).
  const int64_t slack = p.wq + kernel.nr;
  AlignedBuffer phases(static_cast<size_t>(p.size() + slack));
  std::fill_n(phases.data() + p.size(), slack, 0.f);
  for_range(g.channels, parallel,
            [&](int64_t begin, int64_t end) { fill_phases(image, g, p, begin, end, phases.data()); });
  const std::vector<int64_t> offsets = tap_offsets(g, p);
  const ShiftedRows rows{phases.data(), offsets.data()};
  AlignedBuffer wide(static_cast<size_t>(m * n));
  gemm(kernel, m, n, g.patch_size(), packed_a(weights), shifted_b(rows), plain_output(wide.data(), n),
       parallel);
  for_range(m, parallel,
            [&](int64_t begin, int64_t end) { write_output(wide.data(), g, p.wq, c, begin, end); });
}

}  // namespace

bool shifted_conv_applies(const ConvGeometry& g) {
  if (g.in[0] != 1 || g.out[0] != 1 || g.kernel[0] != 1) return false;
  // A strided 1x1 kernel reads one phase of every stride x stride block: the
  // im2col gather copies just that, the phase split would copy the whole image.
  if (g.kernel_size() == 1) return false;
  return g.out[2] * 4 >= phase_layout(g).wq * 3;
}

void conv_shifted(const GemmMicroKernel& kernel, const PackedA& weights, const float* image,
                  const ConvGeometry& g, const GemmC& c, bool parallel) {
  if (c.accumulate) throw Error("conv_shifted: accumulating into Y is not supported");
  if (g.in[0] != 1 || g.kernel[0] != 1) throw Error("conv_shifted: 3-D convolutions take implicit im2col");
  const int64_t band = band_rows(g, weights.rows());
  for (int64_t oh0 = 0; oh0 < g.out[1]; oh0 += band) {
    // The band as a convolution of its own: fewer output rows, and the image
    // starting oh0 * stride padded rows further down (pad_begin may go negative).
    ConvGeometry gb = g;
    gb.out[1] = std::min(band, g.out[1] - oh0);
    gb.pad_begin[1] = g.pad_begin[1] - oh0 * g.stride[1];
    GemmC cb = c;
    cb.data = c.data + oh0 * g.out[2];
    if (c.residual) cb.residual = c.residual + oh0 * g.out[2];
    conv_band(kernel, weights, image, gb, cb, parallel);
  }
}

}  // namespace neuropipe::nn::kernels
