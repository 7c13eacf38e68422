#include "nn/kernels/conv_pixel_major.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "neuropipe/error.hpp"

namespace neuropipe::nn::kernels {

namespace {

int64_t round_up(int64_t v, int64_t step) { return (v + step - 1) / step * step; }

// Largest plane taken. Measured on ResNet-50's shapes (AVX-512, one thread):
// at 7x7 this form is 5-11% faster than the usual one; at 14x14 it is even
// (1x1) or 6% slower (3x3 stride 1, whose shifted-window path packs nothing).
constexpr int64_t kMaxPixels = 128;
// Patch values packed per GEMM call (4 MB).
constexpr int64_t kMaxPatchFloats = int64_t{1} << 20;

// Offset of tap t's input pixel for output pixel p within one channel plane,
// or -1 where the tap reads padding; [t * out_plane + p].
std::vector<int64_t> tap_pixel_offsets(const ConvGeometry& g) {
  const int64_t out_h = g.out[1], out_w = g.out[2];
  std::vector<int64_t> offsets(static_cast<size_t>(g.kernel_size() * g.out_plane()));
  size_t i = 0;
  for (int64_t kh = 0; kh < g.kernel[1]; ++kh)
    for (int64_t kw = 0; kw < g.kernel[2]; ++kw)
      for (int64_t oh = 0; oh < out_h; ++oh)
        for (int64_t ow = 0; ow < out_w; ++ow) {
          const int64_t ih = oh * g.stride[1] - g.pad_begin[1] + kh * g.dilation[1];
          const int64_t iw = ow * g.stride[2] - g.pad_begin[2] + kw * g.dilation[2];
          const bool inside = ih >= 0 && ih < g.in[1] && iw >= 0 && iw < g.in[2];
          offsets[i++] = inside ? ih * g.in[2] + iw : -1;
        }
  return offsets;
}

// Patches of one image, the patch matrix's rows (output pixels) [first, first + count).
struct PixelRange {
  int64_t first, count;
};

// Depth rows [k0, k0+kc) of the patch matrix (pixel p, tap k = (c, kh, kw)) as MR-row panels.
void pack_patch_panels(const float* image, const ConvGeometry& g, const std::vector<int64_t>& offsets,
                       PixelRange range, int64_t k0, int64_t kc, int mr, float* dst) {
  const int64_t taps = g.kernel_size(), pixels = g.out_plane();
  const bool pointwise = g.is_pointwise();
  for (int64_t p0 = range.first; p0 < range.first + range.count; p0 += mr, dst += kc * mr) {
    const int64_t live = std::min<int64_t>(mr, range.first + range.count - p0);
    for (int64_t kk = 0; kk < kc; ++kk) {
      const int64_t k = k0 + kk, c = k / taps, tap = k % taps;
      const float* plane = image + c * g.in_plane();
      float* out = dst + kk * mr;
      if (pointwise) {  // the pixels of a panel are consecutive in the plane
        std::memcpy(out, plane + p0, static_cast<size_t>(live) * sizeof(float));
      } else {
        const int64_t* at = offsets.data() + tap * pixels + p0;
        for (int64_t r = 0; r < live; ++r) out[r] = at[r] < 0 ? 0.f : plane[at[r]];
      }
      std::fill(out + live, out + mr, 0.f);
    }
  }
}

// Y rows [m_begin, m_end), columns `range`, from the pixel-major product of
// those pixels: transposed, then (value + bias) + skip and the activation, in
// the order of the usual GEMM's epilogue.
void write_output(const float* product, int64_t m, PixelRange range, const GemmC& c, int64_t m_begin,
                  int64_t m_end) {
  const int64_t pixels = range.count;
  // Transposed 16 channels at a time: each product row is read one cache line at a time.
  constexpr int64_t kBlock = 16;
  for (int64_t o0 = m_begin; o0 < m_end; o0 += kBlock) {
    const int64_t count = std::min(kBlock, m_end - o0);
    for (int64_t p = 0; p < pixels; ++p) {
      const float* src = product + p * m + o0;
      for (int64_t i = 0; i < count; ++i) c.data[(o0 + i) * c.ldc + range.first + p] = src[i];
    }
  }
  for (int64_t o = m_begin; o < m_end; ++o) {
    float* row = c.data + o * c.ldc + range.first;
    const float bias = c.row_bias ? c.row_bias[o] : 0.f;
    if (!c.residual) {
      apply_bias_activation(row, pixels, bias, c.activation);
      continue;
    }
    const float* skip = c.residual + o * c.ldc + range.first;
    for (int64_t p = 0; p < pixels; ++p) row[p] = (row[p] + bias) + skip[p];
    apply_bias_activation(row, pixels, 0.f, c.activation);
  }
}

}  // namespace

bool pixel_major_conv_pays(const GemmMicroKernel& kernel, int64_t m, int64_t out_plane) {
  if (out_plane <= 0 || out_plane > kMaxPixels || m < kernel.nr) return false;
  const double usual = double(out_plane) / double(round_up(out_plane, kernel.nr)) * double(m) /
                       double(round_up(m, kernel.mr));
  const double pixel_major = double(out_plane) / double(round_up(out_plane, kernel.mr)) * double(m) /
                             double(round_up(m, kernel.nr));
  return pixel_major > usual * 1.05;
}

PackedB pack_pixel_major_weights(const GemmMicroKernel& kernel, const float* w, int64_t m, int64_t k) {
  return PackedB(kernel, k, m, MatrixView{w, 1, k});
}

void conv_pixel_major(const GemmMicroKernel& kernel, const PackedB& weights, const float* image,
                      const ConvGeometry& g, const GemmC& c, bool parallel) {
  if (c.accumulate) throw Error("conv_pixel_major: accumulating into Y is not supported");
  if (g.in[0] != 1 || g.kernel[0] != 1) throw Error("conv_pixel_major: 3-D convolutions take implicit im2col");
  const int64_t m = weights.cols(), k = weights.depth(), pixels = g.out_plane();
  if (k != g.patch_size()) throw Error("conv_pixel_major: weights do not match the geometry");
  const std::vector<int64_t> offsets = g.is_pointwise() ? std::vector<int64_t>{} : tap_pixel_offsets(g);
  // Pixels in chunks whose patches stay a few MB: one chunk for the planes
  // this form is chosen for, bounded memory for any other.
  const int64_t chunk = std::max<int64_t>(kernel.mr, kMaxPatchFloats / k / kernel.mr * kernel.mr);
  AlignedBuffer product(static_cast<size_t>(round_up(std::min(chunk, pixels), kernel.mr) * m));
  for (int64_t first = 0; first < pixels; first += chunk) {
    const PixelRange range{first, std::min(chunk, pixels - first)};
    const PackedA patches(kernel, range.count, k, [&](int64_t k0, int64_t kc, int64_t, int mr, float* dst) {
      pack_patch_panels(image, g, offsets, range, k0, kc, mr, dst);
    });
    gemm(kernel, range.count, m, k, packed_a(patches), packed_b(weights), plain_output(product.data(), m),
         parallel);
    auto write = [&](int64_t begin, int64_t end) { write_output(product.data(), m, range, c, begin, end); };
    if (!parallel || m < 64) {
      write(0, m);
      continue;
    }
    tbb::parallel_for(tbb::blocked_range<int64_t>(0, m, 32),
                      [&](const tbb::blocked_range<int64_t>& r) { write(r.begin(), r.end()); });
  }
}

}  // namespace neuropipe::nn::kernels
