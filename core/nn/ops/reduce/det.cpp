// Det: determinant of each trailing [M, M] matrix, by LU decomposition with
// partial pivoting (computed in double for accuracy, then narrowed).
#include <cmath>
#include <memory>
#include <utility>
#include <vector>

#include "nn/kernel.hpp"
#include "nn/ops/common/dtype_dispatch.hpp"
#include "nn/ops/common/parallel.hpp"

namespace neuropipe::nn::ops {
namespace {

// Destroys `a` (row-major m x m).
double lu_determinant(std::vector<double>& a, int64_t m) {
  double det = 1;
  for (int64_t col = 0; col < m; ++col) {
    int64_t pivot = col;
    for (int64_t r = col + 1; r < m; ++r)
      if (std::abs(a[r * m + col]) > std::abs(a[pivot * m + col])) pivot = r;
    if (a[pivot * m + col] == 0) return 0;
    if (pivot != col) {
      for (int64_t c = 0; c < m; ++c) std::swap(a[pivot * m + c], a[col * m + c]);
      det = -det;
    }
    const double diagonal = a[col * m + col];
    det *= diagonal;
    for (int64_t r = col + 1; r < m; ++r) {
      const double factor = a[r * m + col] / diagonal;
      for (int64_t c = col + 1; c < m; ++c) a[r * m + c] -= factor * a[col * m + c];
    }
  }
  return det;
}

class Det final : public Kernel {
 public:
  void run(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    if (x.rank() < 2 || x.dim(x.rank() - 1) != x.dim(x.rank() - 2))
      ctx.fail("input must be [..., M, M], got " + shape_to_string(x.shape()));
    const Shape batch_shape(x.shape().begin(), x.shape().end() - 2);
    Tensor& y = ctx.output(0, x.dtype(), batch_shape);
    const int64_t m = x.shape().back(), batch = shape_numel(batch_shape);
    const bool supported = visit_dtype(x.dtype(), FloatTypes{}, [&](auto tag) {
      using T = typename decltype(tag)::type;
      const T* in = x.data<T>();
      T* out = y.data<T>();
      parallel_chunks(batch, grain_for_cost(m * m * m), [&](int64_t begin, int64_t end) {
        std::vector<double> a(static_cast<size_t>(m * m));
        for (int64_t b = begin; b < end; ++b) {
          for (int64_t i = 0; i < m * m; ++i) a[i] = static_cast<double>(in[b * m * m + i]);
          out[b] = static_cast<T>(lu_determinant(a, m));
        }
      });
    });
    if (!supported) ctx.fail(unsupported_dtype_message(x.dtype()));
  }
};

NP_REGISTER_KERNEL("Det", 11, 1000,
                   [](const KernelBuildContext&) -> std::unique_ptr<Kernel> { return std::make_unique<Det>(); });

}  // namespace
}  // namespace neuropipe::nn::ops
