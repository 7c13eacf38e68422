// MatMul (opsets 1-18): numpy semantics, N-D with broadcast batch dims and
// 1-D operands. When B is a matrix (the usual weights case) A's batch dims
// fold into M, giving one big GEMM whose constant B is packed once at load;
// otherwise each batch entry is its own GEMM, run in parallel across batches
// when they are small.
#include <memory>
#include <optional>

#include "nn/kernels/gemm.hpp"
#include "nn/ops/common/broadcast.hpp"
#include "nn/ops/dense/dense_op_support.hpp"

namespace neuropipe::nn::ops {

namespace {

using kernels::MatrixView;

// Below this many multiply-adds a GEMM runs on one thread and batches go parallel instead.
constexpr int64_t kSmallGemm = 64 * 64 * 64;

class MatMul final : public Kernel {
 public:
  explicit MatMul(const KernelBuildContext& b) : gemm_kernel_(kernels::best_gemm_micro_kernel()) {
    if (const Tensor* w = b.constant_input(1); w && w->dtype() == DType::f32 && w->rank() == 2) {
      constant_b_ = *w;
      packed_b_.emplace(gemm_kernel_, w->dim(0), w->dim(1), MatrixView{w->data<float>(), w->dim(1), 1});
    }
  }

  void run(KernelContext& ctx) const override {
    const Tensor& a = float_input(ctx, 0, "A");
    const Tensor& b = constant_b_.defined() ? constant_b_ : float_input(ctx, 1, "B");
    if (a.rank() == 0 || b.rank() == 0) ctx.fail("MatMul operands must have rank >= 1");
    // 1-D operands become matrices and lose that dimension in the result.
    const Shape as = a.rank() == 1 ? Shape{1, a.dim(0)} : a.shape();
    const Shape bs = b.rank() == 1 ? Shape{b.dim(0), 1} : b.shape();
    const int64_t m = as[as.size() - 2], k = as.back(), n = bs.back();
    if (bs[bs.size() - 2] != k)
      ctx.fail("inner dimensions differ: A " + shape_to_string(a.shape()) + " B " +
               shape_to_string(b.shape()));
    const Shape a_batch(as.begin(), as.end() - 2), b_batch(bs.begin(), bs.end() - 2);
    const Shape batch = broadcast_shape(a_batch, b_batch);
    Shape y_shape = batch;
    if (a.rank() > 1) y_shape.push_back(m);
    if (b.rank() > 1) y_shape.push_back(n);
    Tensor& y = ctx.output(0, DType::f32, y_shape);
    if (y.numel() == 0) return;
    if (b_batch.empty() || shape_numel(b_batch) == 1) {
      if (shape_numel(a_batch) == shape_numel(batch))
        return run_folded(a, b, shape_numel(batch) * m, n, k, y);
    }
    run_batched(a, b, as, bs, batch, m, n, k, y);
  }

 private:
  // All of A's rows against one B matrix.
  void run_folded(const Tensor& a, const Tensor& b, int64_t rows, int64_t n, int64_t k, Tensor& y) const {
    kernels::GemmB gb;
    if (packed_b_)
      gb.packed = &*packed_b_;
    else
      gb.view = MatrixView{b.data<float>(), n, 1};
    kernels::gemm(gemm_kernel_, rows, n, k, kernels::view_a(MatrixView{a.data<float>(), k, 1}), gb,
                  kernels::plain_output(y.data<float>(), n));
  }

  void run_batched(const Tensor& a, const Tensor& b, const Shape& as, const Shape& bs, const Shape& batch,
                   int64_t m, int64_t n, int64_t k, Tensor& y) const {
    // Matrix strides of each operand through the broadcast batch shape.
    const Shape a_batch(as.begin(), as.end() - 2), b_batch(bs.begin(), bs.end() - 2);
    const std::vector<int64_t> a_strides = broadcast_strides(a_batch, batch),
                               b_strides = broadcast_strides(b_batch, batch);
    const int64_t count = shape_numel(batch);
    auto offsets = [&](int64_t index, int64_t& a_off, int64_t& b_off) {
      a_off = b_off = 0;
      for (size_t d = batch.size(); d-- > 0;) {
        const int64_t i = index % batch[d];
        index /= batch[d];
        a_off += i * a_strides[d];
        b_off += i * b_strides[d];
      }
    };
    const bool small = m * n * k < kSmallGemm;
    auto one = [&](int64_t index, bool parallel) {
      int64_t a_off, b_off;
      offsets(index, a_off, b_off);
      kernels::gemm(gemm_kernel_, m, n, k, kernels::view_a(MatrixView{a.data<float>() + a_off * m * k, k, 1}),
                    kernels::view_b(MatrixView{b.data<float>() + b_off * k * n, n, 1}),
                    kernels::plain_output(y.data<float>() + index * m * n, n), parallel);
    };
    if (small) {
      parallel_chunks(count, 1, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) one(i, false);
      });
    } else {
      for (int64_t i = 0; i < count; ++i) one(i, true);
    }
  }

  const kernels::GemmMicroKernel& gemm_kernel_;
  Tensor constant_b_;
  std::optional<kernels::PackedB> packed_b_;
};

}  // namespace

NP_REGISTER_KERNEL("MatMul", 1, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<MatMul>(b); });

}  // namespace neuropipe::nn::ops
