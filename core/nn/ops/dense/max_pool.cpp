// MaxPool (opsets 1-18): 1-D..3-D, strides, pads/auto_pad, dilations,
// ceil_mode, and the optional Indices output (flat index into X, row-major or,
// with storage_order=1, column-major within each plane). float32, float64, int8, uint8.
#include <limits>
#include <memory>

#include "nn/ops/dense/dense_op_support.hpp"
#include "nn/ops/dense/pool_window.hpp"

namespace neuropipe::nn::ops {

namespace {

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
