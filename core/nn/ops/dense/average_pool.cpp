// AveragePool (opsets 1-18): 1-D..3-D, strides, pads/auto_pad, ceil_mode,
// count_include_pad (the divisor counts padding taps, but never taps of a
// ceil-mode window that hang past the end padding).
#include <memory>

#include "nn/ops/dense/dense_op_support.hpp"
#include "nn/ops/dense/pool_window.hpp"

namespace neuropipe::nn::ops {

namespace {

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
