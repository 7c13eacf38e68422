// Gemm (opsets 1-18): Y = alpha * A' * B' + beta * C, with transA/transB and C
// broadcast to [M, N] (scalar, row, column or full); plus an optional fused
// activation (nn/kernels/activation.hpp). A constant B (the weights of a fully
// connected layer) is packed once at load; alpha is folded into A's packing.
#include "nn/kernels/gemm.hpp"

#include <memory>
#include <optional>

#include "nn/ops/dense/dense_op_support.hpp"

namespace neuropipe::nn::ops {

namespace {

using kernels::MatrixView;

class Gemm final : public Kernel {
 public:
  explicit Gemm(const KernelBuildContext& b)
      : trans_a_(b.attributes().get_int("transA", 0) != 0),
        trans_b_(b.attributes().get_int("transB", 0) != 0),
        alpha_(b.attributes().get_float("alpha", 1.f)),
        beta_(b.attributes().get_float("beta", 1.f)),
        activation_(kernels::fused_activation_from(b.attributes())),
        gemm_kernel_(kernels::best_gemm_micro_kernel()) {
    if (const Tensor* bt = b.constant_input(1)) {
      if (bt->dtype() != DType::f32 || bt->rank() != 2) b.fail("input B must be a 2-D float32 matrix");
      const int64_t k = trans_b_ ? bt->dim(1) : bt->dim(0), n = trans_b_ ? bt->dim(0) : bt->dim(1);
      packed_b_.emplace(gemm_kernel_, k, n, view_b(*bt));
      b_shape_only_ = Tensor::view(DType::f32, bt->shape(), nullptr);  // run() reads the panels, not B
    }
  }

  bool owns_constant_input(size_t i) const override { return i == 1 && packed_b_.has_value(); }

  void run(KernelContext& ctx) const override {
    const Tensor& a = float_input(ctx, 0, "A");
    const Tensor& b = packed_b_ ? b_shape_only_ : float_input(ctx, 1, "B");
    const Tensor* c = optional_float_input(ctx, 2, "C");
    if (a.rank() != 2 || b.rank() != 2)
      ctx.fail("A " + shape_to_string(a.shape()) + " and B " + shape_to_string(b.shape()) + " must be 2-D");
    const int64_t m = trans_a_ ? a.dim(1) : a.dim(0), k = trans_a_ ? a.dim(0) : a.dim(1);
    const int64_t n = trans_b_ ? b.dim(0) : b.dim(1);
    if ((trans_b_ ? b.dim(1) : b.dim(0)) != k)
      ctx.fail("inner dimensions differ: A " + shape_to_string(a.shape()) + " B " +
               shape_to_string(b.shape()) + " (transA=" + std::to_string(trans_a_) +
               ", transB=" + std::to_string(trans_b_) + ")");
    Tensor& y = ctx.output(0, DType::f32, {m, n});
    const bool add_c = c && beta_ != 0.f;
    if (add_c) fill_with_c(ctx, *c, m, n, y.data<float>());
    kernels::GemmB gb;
    if (packed_b_)
      gb.packed = &*packed_b_;
    else
      gb.view = view_b(b);
    const MatrixView va = trans_a_ ? MatrixView{a.data<float>(), 1, m} : MatrixView{a.data<float>(), k, 1};
    kernels::gemm(
        gemm_kernel_, m, n, k, kernels::view_a(va, alpha_), gb,
        kernels::GemmC{.data = y.data<float>(), .ldc = n, .accumulate = add_c, .activation = activation_});
  }

 private:
  MatrixView view_b(const Tensor& b) const {
    return trans_b_ ? MatrixView{b.data<float>(), 1, b.dim(1)} : MatrixView{b.data<float>(), b.dim(1), 1};
  }

  // y = beta * C broadcast to [m, n] (unidirectional: C's dims are 1 or equal).
  void fill_with_c(const KernelContext& ctx, const Tensor& c, int64_t m, int64_t n, float* y) const {
    if (c.rank() > 2) ctx.fail("C " + shape_to_string(c.shape()) + " has rank > 2");
    const int64_t cm = c.rank() == 2 ? c.dim(0) : 1, cn = c.rank() >= 1 ? c.dim(c.rank() - 1) : 1;
    if ((cm != 1 && cm != m) || (cn != 1 && cn != n))
      ctx.fail("C " + shape_to_string(c.shape()) + " does not broadcast to [" + std::to_string(m) + "," +
               std::to_string(n) + "]");
    const int64_t row_stride = cm == 1 ? 0 : cn, col_stride = cn == 1 ? 0 : 1;
    const float* cv = c.data<float>();
    parallel_chunks(m, grain_for_cost(n), [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i)
        for (int64_t j = 0; j < n; ++j) y[i * n + j] = beta_ * cv[i * row_stride + j * col_stride];
    });
  }

  bool trans_a_, trans_b_;
  float alpha_, beta_;
  kernels::Activation activation_;
  const kernels::GemmMicroKernel& gemm_kernel_;
  Tensor b_shape_only_;                        // B's shape (no data) when B is packed
  std::optional<kernels::PackedB> packed_b_;
};

}  // namespace

NP_REGISTER_KERNEL("Gemm", 1, 1000, [](const KernelBuildContext& b) { return std::make_unique<Gemm>(b); });

}  // namespace neuropipe::nn::ops
