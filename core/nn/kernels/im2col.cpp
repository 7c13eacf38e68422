#include "nn/kernels/im2col.hpp"

#include <algorithm>

namespace neuropipe::nn::kernels {

namespace {

// Position of patch row k: channel and kernel offsets.
struct PatchRow {
  int64_t c, kd, kh, kw;
};
PatchRow patch_row(const ConvGeometry& g, int64_t k) {
  PatchRow p;
  p.kw = k % g.kernel[2];
  k /= g.kernel[2];
  p.kh = k % g.kernel[1];
  k /= g.kernel[1];
  p.kd = k % g.kernel[0];
  p.c = k / g.kernel[0];
  return p;
}

// Input coordinate along dim d for output coordinate o and kernel offset kk.
int64_t input_coord(const ConvGeometry& g, int d, int64_t o, int64_t kk) {
  return o * g.stride[d] - g.pad_begin[d] + kk * g.dilation[d];
}

bool inside(int64_t v, int64_t size) { return v >= 0 && v < size; }

// Output columns [begin, end) whose input column ow*stride + offset lies inside the row.
struct ColumnRange {
  int64_t begin, end;
};
ColumnRange valid_output_columns(const ConvGeometry& g, int64_t offset) {
  const int64_t s = g.stride[2];
  const int64_t begin = offset >= 0 ? 0 : (-offset + s - 1) / s;
  const int64_t end = g.in[2] - offset <= 0 ? 0 : std::min(g.out[2], (g.in[2] - offset + s - 1) / s);
  return {std::min(begin, end), end};
}

// Writes runs of consecutive im2col columns into NR-wide B panels (column col of
// row kk lives at panel col/nr, offset kk*nr + col%nr), splitting a run only at
// panel edges, so the divisions happen per run and the copies are contiguous.
struct PanelWriter {
  float* dst;
  int64_t kc;
  int nr;

  float* at(int64_t kk, int64_t col) const { return dst + (col / nr) * kc * nr + kk * nr + col % nr; }
  int64_t room(int64_t col, int64_t count) const { return std::min<int64_t>(count, nr - col % nr); }

  void zeros(int64_t kk, int64_t col, int64_t count) const {
    while (count > 0) {
      const int64_t len = room(col, count);
      std::fill_n(at(kk, col), len, 0.f);
      col += len, count -= len;
    }
  }
  void copy(int64_t kk, int64_t col, const float* src, int64_t stride, int64_t count) const {
    while (count > 0) {
      const int64_t len = room(col, count);
      float* o = at(kk, col);
      if (stride == 1) {
        std::copy_n(src, len, o);
      } else {
        for (int64_t t = 0; t < len; ++t) o[t] = src[t * stride];
      }
      src += len * stride, col += len, count -= len;
    }
  }
};

}  // namespace

void pack_im2col_panels(const float* image, const ConvGeometry& g, int64_t k0, int64_t kc, int64_t n0,
                        int64_t nc, int nr, float* dst) {
  const PanelWriter out{dst, kc, nr};
  const int64_t padded = (nc + nr - 1) / nr * nr;
  const int64_t first_ow = n0 % g.out[2], first_oh = (n0 / g.out[2]) % g.out[1],
                first_od = n0 / (g.out[2] * g.out[1]);
  for (int64_t kk = 0; kk < kc; ++kk) {
    const PatchRow p = patch_row(g, k0 + kk);
    const float* plane = image + p.c * g.in_plane();
    const int64_t offset_w = p.kw * g.dilation[2] - g.pad_begin[2];
    const ColumnRange valid = valid_output_columns(g, offset_w);
    // Walk the output pixels of [n0, n0+nc) one output row (fixed od, oh) at a time;
    // each row is zeros, a strided copy of one input row, zeros.
    int64_t col = 0, ow = first_ow, oh = first_oh, od = first_od;
    while (col < nc) {
      const int64_t run = std::min(g.out[2] - ow, nc - col);
      const int64_t id = input_coord(g, 0, od, p.kd), ih = input_coord(g, 1, oh, p.kh);
      if (inside(id, g.in[0]) && inside(ih, g.in[1])) {
        const int64_t lo = std::clamp(valid.begin, ow, ow + run), hi = std::clamp(valid.end, lo, ow + run);
        const float* row = plane + (id * g.in[1] + ih) * g.in[2];
        out.zeros(kk, col, lo - ow);
        out.copy(kk, col + lo - ow, row + lo * g.stride[2] + offset_w, g.stride[2], hi - lo);
        out.zeros(kk, col + hi - ow, ow + run - hi);
      } else {
        out.zeros(kk, col, run);
      }
      col += run;
      ow = 0;
      if (++oh == g.out[1]) oh = 0, ++od;
    }
    out.zeros(kk, nc, padded - nc);
  }
}

void col2im_add(const float* columns, const ConvGeometry& g, int64_t c_begin, int64_t c_end, float* image) {
  const int64_t ks = g.kernel_size(), out_plane = g.out_plane(), s = g.stride[2];
  for (int64_t c = c_begin; c < c_end; ++c) {
    float* plane = image + c * g.in_plane();
    for (int64_t k = c * ks; k < (c + 1) * ks; ++k) {
      const PatchRow p = patch_row(g, k);
      const float* col = columns + k * out_plane;
      const int64_t offset_w = p.kw * g.dilation[2] - g.pad_begin[2];
      const ColumnRange valid = valid_output_columns(g, offset_w);
      for (int64_t od = 0; od < g.out[0]; ++od) {
        const int64_t id = input_coord(g, 0, od, p.kd);
        if (!inside(id, g.in[0])) continue;
        for (int64_t oh = 0; oh < g.out[1]; ++oh) {
          const int64_t ih = input_coord(g, 1, oh, p.kh);
          if (!inside(ih, g.in[1])) continue;
          float* row = plane + (id * g.in[1] + ih) * g.in[2];
          const float* src = col + (od * g.out[1] + oh) * g.out[2];
          // Only the valid output columns, so the inner loop has no bounds test.
          if (s == 1) {
            for (int64_t ow = valid.begin; ow < valid.end; ++ow) row[ow + offset_w] += src[ow];
          } else {
            for (int64_t ow = valid.begin; ow < valid.end; ++ow) row[ow * s + offset_w] += src[ow];
          }
        }
      }
    }
  }
}

}  // namespace neuropipe::nn::kernels
