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

}  // namespace

void pack_im2col_panels(const float* image, const ConvGeometry& g, int64_t k0, int64_t kc, int64_t n0,
                        int64_t nc, int nr, float* dst) {
  const int64_t padded = (nc + nr - 1) / nr * nr;
  for (int64_t kk = 0; kk < kc; ++kk) {
    const PatchRow p = patch_row(g, k0 + kk);
    const float* plane = image + p.c * g.in_plane();
    // Walk the output pixels of [n0, n0+nc) one output row (fixed od, oh) at a time.
    int64_t j = n0;
    int64_t ow = j % g.out[2], oh = (j / g.out[2]) % g.out[1], od = j / (g.out[2] * g.out[1]);
    while (j < n0 + nc) {
      const int64_t run = std::min(g.out[2] - ow, n0 + nc - j);
      const int64_t id = input_coord(g, 0, od, p.kd), ih = input_coord(g, 1, oh, p.kh);
      const bool row_inside = inside(id, g.in[0]) && inside(ih, g.in[1]);
      const float* row = plane + (id * g.in[1] + ih) * g.in[2];
      for (int64_t t = 0; t < run; ++t) {
        const int64_t col = j + t - n0, iw = input_coord(g, 2, ow + t, p.kw);
        dst[(col / nr) * kc * nr + kk * nr + col % nr] = row_inside && inside(iw, g.in[2]) ? row[iw] : 0.f;
      }
      j += run;
      ow = 0;
      if (++oh == g.out[1]) oh = 0, ++od;
    }
    for (int64_t col = nc; col < padded; ++col) dst[(col / nr) * kc * nr + kk * nr + col % nr] = 0.f;
  }
}

void col2im_add(const float* columns, const ConvGeometry& g, int64_t c_begin, int64_t c_end, float* image) {
  const int64_t ks = g.kernel_size(), out_plane = g.out_plane();
  for (int64_t c = c_begin; c < c_end; ++c) {
    float* plane = image + c * g.in_plane();
    for (int64_t k = c * ks; k < (c + 1) * ks; ++k) {
      const PatchRow p = patch_row(g, k);
      const float* col = columns + k * out_plane;
      for (int64_t od = 0; od < g.out[0]; ++od) {
        const int64_t id = input_coord(g, 0, od, p.kd);
        if (!inside(id, g.in[0])) continue;
        for (int64_t oh = 0; oh < g.out[1]; ++oh) {
          const int64_t ih = input_coord(g, 1, oh, p.kh);
          if (!inside(ih, g.in[1])) continue;
          float* row = plane + (id * g.in[1] + ih) * g.in[2];
          const float* src = col + (od * g.out[1] + oh) * g.out[2];
          for (int64_t ow = 0; ow < g.out[2]; ++ow) {
            const int64_t iw = input_coord(g, 2, ow, p.kw);
            if (inside(iw, g.in[2])) row[iw] += src[ow];
          }
        }
      }
    }
  }
}

}  // namespace neuropipe::nn::kernels
