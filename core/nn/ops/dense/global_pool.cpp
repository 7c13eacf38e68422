// GlobalAveragePool and GlobalMaxPool (opsets 1-18): one value per (n, c)
// plane, output [N, C, 1, ...].
#include <algorithm>
#include <limits>
#include <memory>

#include "nn/ops/dense/dense_op_support.hpp"

namespace neuropipe::nn::ops {

namespace {

enum class Reduce { mean, max };

template <Reduce R>
class GlobalPool final : public Kernel {
 public:
  void run(KernelContext& ctx) const override {
    const Tensor& x = float_input(ctx, 0, "X");
    if (x.rank() < 3) ctx.fail("input X must be N x C x spatial..., got " + shape_to_string(x.shape()));
    Shape y_shape(x.rank(), 1);
    y_shape[0] = x.dim(0);
    y_shape[1] = x.dim(1);
    Tensor& y = ctx.output(0, DType::f32, y_shape);
    const int64_t plane = dims_product(x.shape(), 2, x.rank());
    parallel_chunks(x.dim(0) * x.dim(1), grain_for_cost(plane), [&](int64_t begin, int64_t end) {
      for (int64_t p = begin; p < end; ++p) {
        const float* in = x.data<float>() + p * plane;
        if constexpr (R == Reduce::mean) {
          double sum = 0;
          for (int64_t i = 0; i < plane; ++i) sum += in[i];
          y.data<float>()[p] = static_cast<float>(sum / static_cast<double>(plane));
        } else {
          y.data<float>()[p] =
              plane ? *std::max_element(in, in + plane) : std::numeric_limits<float>::lowest();
        }
      }
    });
  }
};

}  // namespace

NP_REGISTER_KERNEL("GlobalAveragePool", 1, 1000,
                   [](const KernelBuildContext&) { return std::make_unique<GlobalPool<Reduce::mean>>(); });
NP_REGISTER_KERNEL("GlobalMaxPool", 1, 1000,
                   [](const KernelBuildContext&) { return std::make_unique<GlobalPool<Reduce::max>>(); });

}  // namespace neuropipe::nn::ops
