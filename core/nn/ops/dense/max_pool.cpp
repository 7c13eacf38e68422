// MaxPool (opsets 1-18): 1-D..3-D, strides, pads/auto_pad, dilations,
// ceil_mode, and the optional Indices output (flat index into X, row-major or,
// with storage_order=1, column-major within each plane). float32, float64, int8, uint8.
#include <algorithm>
#include <limits>
#include <memory>
#include <type_traits>
#include <vector>

#include "nn/kernels/max_pool_row.hpp"
#include "nn/ops/dense/dense_op_support.hpp"
#include "nn/ops/dense/pool_window.hpp"

namespace neuropipe::nn::ops {

namespace {

// Outputs [c0, c1) of a row are interior windows (wholly inside the row);
// only the few edge windows outside that range compute their own bounds.
struct RowInterior {
  int64_t c0, c1;
};

RowInterior row_interior(const kernels::ConvGeometry& g) {
  const int64_t in_w = g.in[2], s = g.stride[2], pad = g.pad_begin[2], k = g.kernel[2], out_w = g.out[2];
  // Interior: ow*s - pad >= 0 and ow*s - pad + k <= in_w.
  const int64_t c0 = std::min(out_w, (pad + s - 1) / s);
  const int64_t c1 = in_w - k + pad < 0 ? c0 : std::clamp((in_w - k + pad) / s + 1, c0, out_w);
  return {c0, c1};
}

// out_row[ow] = max of row_max over edge window ow (lowest() first, then the
// taps inside the row left to right: the order of the interior kernels, so NaN handling matches).
void edge_window_max(const float* row_max, const kernels::ConvGeometry& g, int64_t ow, float* out_row) {
  const int64_t left = ow * g.stride[2] - g.pad_begin[2];
  const int64_t w0 = std::max<int64_t>(left, 0), w1 = std::min(g.in[2], left + g.kernel[2]);
  float best = std::numeric_limits<float>::lowest();
  for (int64_t i = w0; i < w1; ++i) best = row_max[i] > best ? row_max[i] : best;
  out_row[ow] = best;
}

void edge_windows_max(const float* row_max, const kernels::ConvGeometry& g, RowInterior r, float* out_row) {
  for (int64_t ow = 0; ow < r.c0; ++ow) edge_window_max(row_max, g, ow, out_row);
  for (int64_t ow = r.c1; ow < g.out[2]; ++ow) edge_window_max(row_max, g, ow, out_row);
}

// out_row[ow] = max of row_max over window ow. Interior windows run in the
// per-ISA kernels of max_pool_row.hpp (stride 1 and 2) or a tap-major loop.
// row_max is readable one float past in_w.
void window_max_along_row(const float* row_max, const kernels::ConvGeometry& g, float* out_row) {
  const int64_t s = g.stride[2], k = g.kernel[2];
  const RowInterior r = row_interior(g);
  float* __restrict out = out_row + r.c0;
  const float* __restrict in = row_max + r.c0 * s - g.pad_begin[2];
  const int64_t n = r.c1 - r.c0;
  if (s == 2) {  // YuNet's 2x2, SqueezeNet's and GoogLeNet's 3x3/2 pools
    kernels::max_pool_row_stride2(in, k, n, out);
  } else if (s == 1) {
    kernels::max_pool_row_stride1(in, k, n, out);
  } else {
    for (int64_t j = 0; j < n; ++j)
      out[j] =
          in[j * s] > std::numeric_limits<float>::lowest() ? in[j * s] : std::numeric_limits<float>::lowest();
    for (int64_t kw = 1; kw < k; ++kw)
      for (int64_t j = 0; j < n; ++j) out[j] = in[j * s + kw] > out[j] ? in[j * s + kw] : out[j];
  }
  edge_windows_max(row_max, g, r, out_row);
}

// Input rows [h0, h1) of output row oh's window (clipped to the input).
struct WindowRows {
  int64_t h0, h1;
};

WindowRows window_rows(const kernels::ConvGeometry& g, int64_t oh) {
  const int64_t top = oh * g.stride[1] - g.pad_begin[1];
  return {std::max<int64_t>(top, 0), std::min(g.in[1], top + g.kernel[1])};
}

// Output rows [first, last) whose windows lie wholly inside the input, for
// stride 1 (their input rows are consecutive, so one kernel call covers them).
WindowRows full_window_rows_stride1(const kernels::ConvGeometry& g) {
  const int64_t first = std::min(g.out[1], g.pad_begin[1]);
  const int64_t last = std::clamp(g.in[1] - g.kernel[1] + g.pad_begin[1] + 1, first, g.out[1]);
  return {first, last};
}

// row_max[oh * in_w + i] = max over output row oh's window rows of column i
// (the vertical step; rows wholly in the padding are left alone). Stride 1
// runs every full-window row in one call, a vector loop across row ends.
void column_max_plane(const float* in, const kernels::ConvGeometry& g, float* row_max) {
  const int64_t in_w = g.in[2];
  WindowRows full{0, 0};
  if (g.stride[1] == 1) {
    full = full_window_rows_stride1(g);
    if (full.h1 > full.h0)
      kernels::max_pool_columns(in + (full.h0 - g.pad_begin[1]) * in_w, in_w, g.kernel[1],
                                (full.h1 - full.h0) * in_w, row_max + full.h0 * in_w);
  }
  for (int64_t oh = 0; oh < g.out[1]; ++oh) {
    if (oh >= full.h0 && oh < full.h1) continue;
    const WindowRows w = window_rows(g, oh);
    if (w.h0 < w.h1) kernels::max_pool_columns(in + w.h0 * in_w, in_w, w.h1 - w.h0, in_w, row_max + oh * in_w);
  }
}

bool any_row_in_padding(const kernels::ConvGeometry& g) {
  for (int64_t oh = 0; oh < g.out[1]; ++oh) {
    const WindowRows w = window_rows(g, oh);
    if (w.h0 >= w.h1) return true;
  }
  return false;
}

// Stride 1 along rows, each output row as wide as its input row (GoogLeNet's
// 3x3/1 pad-1 pools), no row wholly in the padding: the horizontal step of
// many planes is one kernel call (max_pool_rows_stride1_same), with no edge code.
bool rows_keep_width(const kernels::ConvGeometry& g) {
  return g.stride[2] == 1 && g.out[2] == g.in[2] && g.pad_begin[2] < g.kernel[2] && !any_row_in_padding(g);
}

// Floats of row_max per batch of planes on the rows_keep_width path (stays in cache with its input).
constexpr int64_t kRowMaxBatchFloats = 8192;

int64_t planes_per_batch(const kernels::ConvGeometry& g) {
  if (!rows_keep_width(g)) return 1;
  return std::max<int64_t>(1, kRowMaxBatchFloats / (g.out[1] * g.in[2]));
}

// The common case (2-D, float, no dilation, no Indices): the element-wise
// max of each window's input rows first (column_max_plane), then the max
// along each window of those rows; no per-window geometry. `row_max` holds
// out_h input rows and one more float (max_pool_row.hpp).
void max_pool_2d_plane(const float* in, const kernels::ConvGeometry& g, float* out, float* row_max) {
  const int64_t in_w = g.in[2], out_w = g.out[2];
  column_max_plane(in, g, row_max);
  for (int64_t oh = 0; oh < g.out[1]; ++oh) {
    const WindowRows w = window_rows(g, oh);
    if (w.h0 < w.h1)
      window_max_along_row(row_max + oh * in_w, g, out + oh * out_w);
    else  // window wholly in the padding
      std::fill_n(out + oh * out_w, out_w, std::numeric_limits<float>::lowest());
  }
}

// `planes` consecutive planes; row_max holds planes_per_batch(g) planes of
// out_h input rows, and one more float.
void max_pool_2d_planes(const float* in, const kernels::ConvGeometry& g, int64_t planes, float* out,
                        float* row_max) {
  if (!rows_keep_width(g)) {
    for (int64_t p = 0; p < planes; ++p)
      max_pool_2d_plane(in + p * g.in_plane(), g, out + p * g.out_plane(), row_max);
    return;
  }
  const int64_t rows_size = g.out[1] * g.in[2];
  for (int64_t p = 0; p < planes; ++p) column_max_plane(in + p * g.in_plane(), g, row_max + p * rows_size);
  kernels::max_pool_rows_stride1_same(row_max, g.in[2], g.kernel[2], g.pad_begin[2], planes * rows_size, out);
}

bool is_plain_2d(const kernels::ConvGeometry& g) {
  return g.in[0] == 1 && g.kernel[0] == 1 && g.dilation[1] == 1 && g.dilation[2] == 1;
}

class MaxPool final : public Kernel {
 public:
  explicit MaxPool(const KernelBuildContext& b)
      : spatial_(SpatialAttributes::parse(b)),
        column_major_(b.attributes().get_int("storage_order", 0) != 0) {
    if (spatial_.kernel_shape.empty()) b.fail("attribute kernel_shape is required");
  }

  void run(KernelContext& ctx) const override {
    const Tensor* x = ctx.input(0);
    if (!x) ctx.fail("missing required input X");
    if (x->rank() < 3) ctx.fail("input X must be N x C x spatial..., got " + shape_to_string(x->shape()));
    if (spatial_.kernel_shape.size() != x->rank() - 2) ctx.fail("kernel_shape rank does not match X");
    const SpatialPlan plan = plan_spatial(ctx, spatial_, dims_from(x->shape(), 2), spatial_.kernel_shape);
    switch (x->dtype()) {
      case DType::f32:
        return pool<float>(ctx, *x, plan);
      case DType::f64:
        return pool<double>(ctx, *x, plan);
      case DType::i8:
        return pool<int8_t>(ctx, *x, plan);
      case DType::u8:
        return pool<uint8_t>(ctx, *x, plan);
      default:
        ctx.fail(std::string("unsupported element type ") + dtype_name(x->dtype()));
    }
  }

 private:
  template <class T>
  void pool(KernelContext& ctx, const Tensor& x, const SpatialPlan& plan) const {
    Shape y_shape{x.dim(0), x.dim(1)};
    y_shape.insert(y_shape.end(), plan.out.begin(), plan.out.end());
    Tensor& y = ctx.output(0, x.dtype(), y_shape);
    int64_t* indices = nullptr;
    if (Tensor* t = optional_output(ctx, 1, DType::i64, y_shape)) indices = t->data<int64_t>();
    const kernels::ConvGeometry g = pool_geometry(x.shape(), plan);
    if constexpr (std::is_same_v<T, float>) {
      if (!indices && is_plain_2d(g)) {
        parallel_chunks(x.dim(0) * x.dim(1), grain_for_cost(g.out_plane() * g.kernel_size()),
                        [&](int64_t begin, int64_t end) {
                          const int64_t batch = planes_per_batch(g);
                          std::vector<float> row_max(static_cast<size_t>(batch * g.out[1] * g.in[2] + 1));
                          for (int64_t plane = begin; plane < end; plane += batch)
                            max_pool_2d_planes(x.data<float>() + plane * g.in_plane(), g,
                                               std::min(batch, end - plane),
                                               y.data<float>() + plane * g.out_plane(), row_max.data());
                        });
        return;
      }
    }
    const auto pad_end = lifted_pad_end(plan);
    parallel_chunks(x.dim(0) * x.dim(1), grain_for_cost(g.out_plane() * g.kernel_size()),
                    [&](int64_t begin, int64_t end) {
                      for (int64_t plane = begin; plane < end; ++plane) {
                        const T* in = x.data<T>() + plane * g.in_plane();
                        T* out = y.data<T>() + plane * g.out_plane();
                        for_each_pool_window(g, pad_end, [&](int64_t o, const PoolWindow& w) {
                          T best = std::numeric_limits<T>::lowest();
                          int64_t best_at = -1;
                          for (int64_t td = w.lo[0]; td < w.hi[0]; ++td)
                            for (int64_t th = w.lo[1]; th < w.hi[1]; ++th)
                              for (int64_t tw = w.lo[2]; tw < w.hi[2]; ++tw) {
                                const int64_t d = w.start[0] + td * g.dilation[0],
                                              h = w.start[1] + th * g.dilation[1],
                                              c = w.start[2] + tw * g.dilation[2];
                                const T v = in[(d * g.in[1] + h) * g.in[2] + c];
                                if (best_at < 0 || v > best) {
                                  best = v;
                                  best_at = column_major_ ? (c * g.in[1] + h) * g.in[0] + d
                                                          : (d * g.in[1] + h) * g.in[2] + c;
                                }
                              }
                          out[o] = best;
                          if (indices) indices[plane * g.out_plane() + o] = plane * g.in_plane() + best_at;
                        });
                      }
                    });
  }

  SpatialAttributes spatial_;
  bool column_major_;
};

}  // namespace

NP_REGISTER_KERNEL("MaxPool", 1, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<MaxPool>(b); });

}  // namespace neuropipe::nn::ops
