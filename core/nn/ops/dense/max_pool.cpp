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

// out_row[ow] = max of row_max over window ow. Interior windows (wholly inside
// the row) run tap-major over the whole interior, a loop the compiler
// vectorises (stride 2: the per-ISA kernel of max_pool_row.hpp); only the few
// edge windows compute their own bounds. row_max is readable one float past in_w.
void window_max_along_row(const float* row_max, const kernels::ConvGeometry& g, float* out_row) {
  const int64_t in_w = g.in[2], s = g.stride[2], pad = g.pad_begin[2], k = g.kernel[2], out_w = g.out[2];
  auto edge = [&](int64_t ow) {
    const int64_t left = ow * s - pad;
    const int64_t w0 = std::max<int64_t>(left, 0), w1 = std::min(in_w, left + k);
    float best = std::numeric_limits<float>::lowest();
    for (int64_t i = w0; i < w1; ++i) best = row_max[i] > best ? row_max[i] : best;
    out_row[ow] = best;
  };
  // Interior: ow*s - pad >= 0 and ow*s - pad + k <= in_w.
  const int64_t c0 = std::min(out_w, (pad + s - 1) / s);
  const int64_t c1 = in_w - k + pad < 0 ? c0 : std::clamp((in_w - k + pad) / s + 1, c0, out_w);
  for (int64_t ow = 0; ow < c0; ++ow) edge(ow);
  // Same order as the edge windows (lowest() first, then taps left to right), so NaN handling matches.
  float* __restrict out = out_row + c0;
  const float* __restrict in = row_max + c0 * s - pad;
  const int64_t n = c1 - c0;
  if (s == 2) {  // YuNet's 2x2 and SqueezeNet's 3x3 pools: whole vectors of outputs
    kernels::max_pool_row_stride2(in, k, n, out);
    for (int64_t ow = c1; ow < out_w; ++ow) edge(ow);
    return;
  }
  for (int64_t j = 0; j < n; ++j)
    out[j] =
        in[j * s] > std::numeric_limits<float>::lowest() ? in[j * s] : std::numeric_limits<float>::lowest();
  for (int64_t kw = 1; kw < k; ++kw)
    for (int64_t j = 0; j < n; ++j) out[j] = in[j * s + kw] > out[j] ? in[j * s + kw] : out[j];
  for (int64_t ow = c1; ow < out_w; ++ow) edge(ow);
}

// The common case (2-D, float, no dilation, no Indices): per output row the
// element-wise max of the window's input rows first (a vectorised loop over
// the whole row), then the max along each window of that row; no per-window
// geometry. `row_max` holds one input row and one more float (max_pool_row.hpp).
void max_pool_2d_plane(const float* in, const kernels::ConvGeometry& g, float* out, float* row_max) {
  const int64_t in_h = g.in[1], in_w = g.in[2];
  for (int64_t oh = 0; oh < g.out[1]; ++oh) {
    const int64_t top = oh * g.stride[1] - g.pad_begin[1];
    const int64_t h0 = std::max<int64_t>(top, 0), h1 = std::min(in_h, top + g.kernel[1]);
    float* out_row = out + oh * g.out[2];
    if (h0 >= h1) {  // window wholly in the padding
      std::fill_n(out_row, g.out[2], std::numeric_limits<float>::lowest());
      continue;
    }
    std::copy_n(in + h0 * in_w, in_w, row_max);
    for (int64_t h = h0 + 1; h < h1; ++h) {
      const float* row = in + h * in_w;
      for (int64_t i = 0; i < in_w; ++i) row_max[i] = row[i] > row_max[i] ? row[i] : row_max[i];
    }
    window_max_along_row(row_max, g, out_row);
  }
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
                          std::vector<float> row_max(static_cast<size_t>(g.in[2] + 1));
                          for (int64_t plane = begin; plane < end; ++plane)
                            max_pool_2d_plane(x.data<float>() + plane * g.in_plane(), g,
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
