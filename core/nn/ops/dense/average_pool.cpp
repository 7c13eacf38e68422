// AveragePool (opsets 1-18): 1-D..3-D, strides, pads/auto_pad, ceil_mode,
// count_include_pad (the divisor counts padding taps, but never taps of a
// ceil-mode window that hang past the end padding).
#include <algorithm>
#include <memory>

#include "nn/ops/dense/dense_op_support.hpp"
#include "nn/ops/dense/pool_window.hpp"

namespace neuropipe::nn::ops {

namespace {

// 2-D, no dilation, every window wholly inside the input (no padding; ceil
// mode adding no partial window): DenseNet's 2x2/2 transition pools. The
// divisor is k_h * k_w under either count_include_pad.
bool all_windows_inside(const kernels::ConvGeometry& g) {
  if (g.in[0] != 1 || g.kernel[0] != 1 || g.dilation[1] != 1 || g.dilation[2] != 1) return false;
  for (int d = 1; d < 3; ++d)
    if (g.pad_begin[d] != 0 || (g.out[d] - 1) * g.stride[d] + g.kernel[d] > g.in[d]) return false;
  return true;  // end padding, if any, is never reached: both divisors are k_h * k_w
}

// One plane of that case, tap-major over a whole output row (a loop the
// compiler vectorises, no per-window geometry); each output still sums
// 0 + its taps row by row, left to right, then divides: the generic order.
void average_pool_inside_plane(const float* in, const kernels::ConvGeometry& g, float* out) {
  const int64_t out_w = g.out[2], s = g.stride[2], k_w = g.kernel[2];
  const float divisor = static_cast<float>(g.kernel[1] * g.kernel[2]);
  for (int64_t oh = 0; oh < g.out[1]; ++oh) {
    float* __restrict sum = out + oh * out_w;
    std::fill_n(sum, out_w, 0.f);
    for (int64_t th = 0; th < g.kernel[1]; ++th) {
      const float* __restrict row = in + (oh * g.stride[1] + th) * g.in[2];
      for (int64_t tw = 0; tw < k_w; ++tw)
        for (int64_t ow = 0; ow < out_w; ++ow) sum[ow] += row[ow * s + tw];
    }
    for (int64_t ow = 0; ow < out_w; ++ow) sum[ow] = sum[ow] / divisor;
  }
}

class AveragePool final : public Kernel {
 public:
  explicit AveragePool(const KernelBuildContext& b)
      : spatial_(SpatialAttributes::parse(b)),
        include_pad_(b.attributes().get_int("count_include_pad", 0) != 0) {
    if (spatial_.kernel_shape.empty()) b.fail("attribute kernel_shape is required");
  }

  void run(KernelContext& ctx) const override {
    const Tensor& x = float_input(ctx, 0, "X");
    if (x.rank() < 3) ctx.fail("input X must be N x C x spatial..., got " + shape_to_string(x.shape()));
    if (spatial_.kernel_shape.size() != x.rank() - 2) ctx.fail("kernel_shape rank does not match X");
    const SpatialPlan plan = plan_spatial(ctx, spatial_, dims_from(x.shape(), 2), spatial_.kernel_shape);
    Shape y_shape{x.dim(0), x.dim(1)};
    y_shape.insert(y_shape.end(), plan.out.begin(), plan.out.end());
    Tensor& y = ctx.output(0, DType::f32, y_shape);
    const kernels::ConvGeometry g = pool_geometry(x.shape(), plan);
    if (all_windows_inside(g)) {
      parallel_chunks(x.dim(0) * x.dim(1), grain_for_cost(g.out_plane() * g.kernel_size()),
                      [&](int64_t begin, int64_t end) {
                        for (int64_t plane = begin; plane < end; ++plane)
                          average_pool_inside_plane(x.data<float>() + plane * g.in_plane(), g,
                                                    y.data<float>() + plane * g.out_plane());
                      });
      return;
    }
    const auto pad_end = lifted_pad_end(plan);
    parallel_chunks(x.dim(0) * x.dim(1), grain_for_cost(g.out_plane() * g.kernel_size()),
                    [&](int64_t begin, int64_t end) {
                      for (int64_t plane = begin; plane < end; ++plane) {
                        const float* in = x.data<float>() + plane * g.in_plane();
                        float* out = y.data<float>() + plane * g.out_plane();
                        for_each_pool_window(g, pad_end, [&](int64_t o, const PoolWindow& w) {
                          float sum = 0.f;
                          for (int64_t td = w.lo[0]; td < w.hi[0]; ++td)
                            for (int64_t th = w.lo[1]; th < w.hi[1]; ++th) {
                              const float* row = in + ((w.start[0] + td * g.dilation[0]) * g.in[1] +
                                                       w.start[1] + th * g.dilation[1]) *
                                                          g.in[2];
                              for (int64_t tw = w.lo[2]; tw < w.hi[2]; ++tw)
                                sum += row[w.start[2] + tw * g.dilation[2]];
                            }
                          const int64_t divisor = include_pad_ ? w.padded_taps : w.valid_taps();
                          out[o] = divisor > 0 ? sum / static_cast<float>(divisor) : 0.f;
                        });
                      }
                    });
  }

 private:
  SpatialAttributes spatial_;
  bool include_pad_;
};

}  // namespace

NP_REGISTER_KERNEL("AveragePool", 1, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<AveragePool>(b); });

}  // namespace neuropipe::nn::ops
