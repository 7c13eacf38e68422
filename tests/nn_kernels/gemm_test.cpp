// The packed GEMM against a plain triple loop: tails in M, N and K, both
// operands packed ahead or per tile, transposed views, accumulate, bias and
// activation epilogues, on every ISA the CPU supports.
#include "nn/kernels/gemm.hpp"

#include <catch2/catch.hpp>

#include "reference.hpp"

using namespace neuropipe::nn::kernels;
using neuropipe::test::max_abs_diff;
using neuropipe::test::random_values;
using neuropipe::test::reference_matmul;

namespace {

struct Case {
  int64_t m, n, k;
};
// Tails of every block size (MR 4/6/8, NR 8/16/32, KC 256) and degenerate sizes.
const Case kCases[] = {{1, 1, 1},      {7, 13, 5},    {9, 33, 257},   {17, 100, 64}, {64, 64, 64},
                       {1, 1000, 300}, {200, 37, 19}, {31, 529, 600}, {5, 3, 0}};

std::vector<float> transposed(const std::vector<float>& x, int64_t rows, int64_t cols) {
  std::vector<float> t(x.size());
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) t[c * rows + r] = x[r * cols + c];
  return t;
}

}  // namespace

TEST_CASE("packed GEMM matches the reference on odd shapes for every ISA", "[gemm]") {
  for (Isa isa : supported_isas()) {
    const GemmMicroKernel& kernel = gemm_micro_kernel(isa);
    for (const Case& s : kCases) {
      INFO("isa " << isa_name(isa) << " m=" << s.m << " n=" << s.n << " k=" << s.k);
      const auto a = random_values(s.m * s.k, 1), b = random_values(s.k * s.n, 2);
      const auto expected = reference_matmul(a, b, s.m, s.n, s.k);
      const float tol = 1e-4f * static_cast<float>(std::max<int64_t>(1, s.k));

      std::vector<float> c(expected.size(), 99.f);
      gemm(kernel, s.m, s.n, s.k, view_a(MatrixView{a.data(), s.k, 1}),
           view_b(MatrixView{b.data(), s.n, 1}), GemmC{c.data(), s.n, false, nullptr, {}});
      CHECK(max_abs_diff(c, expected) < tol);

      // Pre-packed operands given as transposed views.
      const auto at = transposed(a, s.m, s.k), bt = transposed(b, s.k, s.n);
      PackedA pa(kernel, s.m, s.k, MatrixView{at.data(), 1, s.m});
      PackedB pb(kernel, s.k, s.n, MatrixView{bt.data(), 1, s.k});
      std::vector<float> c2(expected.size(), -5.f);
      gemm(kernel, s.m, s.n, s.k, packed_a(pa), packed_b(pb), GemmC{c2.data(), s.n, false, nullptr, {}}, false);
      CHECK(max_abs_diff(c2, expected) < tol);
    }
  }
}

TEST_CASE("GEMM alpha, accumulate, row bias and activations", "[gemm]") {
  const int64_t m = 11, n = 45, k = 70;
  const auto a = random_values(m * k, 3), b = random_values(k * n, 4), prior = random_values(m * n, 5);
  const auto bias = random_values(m, 6);
  const auto product = reference_matmul(a, b, m, n, k);
  for (Isa isa : supported_isas()) {
    INFO("isa " << isa_name(isa));
    const GemmMicroKernel& kernel = gemm_micro_kernel(isa);
    for (auto kind : {Activation::Kind::none, Activation::Kind::relu, Activation::Kind::clip,
                      Activation::Kind::leaky_relu}) {
      Activation act{kind, kind == Activation::Kind::clip ? -0.5f : 0.1f, 0.75f};
      std::vector<float> expected(product.size());
      for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < n; ++j) {
          float v = 0.5f * product[i * n + j] + prior[i * n + j] + bias[i];
          if (kind == Activation::Kind::relu) v = std::max(v, 0.f);
          if (kind == Activation::Kind::clip) v = std::min(std::max(v, -0.5f), 0.75f);
          if (kind == Activation::Kind::leaky_relu && v < 0) v *= 0.1f;
          expected[i * n + j] = v;
        }
      std::vector<float> c = prior;
      gemm(kernel, m, n, k, GemmA{nullptr, {a.data(), k, 1}, 0.5f}, view_b(MatrixView{b.data(), n, 1}),
           GemmC{c.data(), n, true, bias.data(), act});
      CHECK(max_abs_diff(c, expected) < 1e-4f);
    }
  }
}

TEST_CASE("GEMM writes into a strided output (a column block of a wider matrix)", "[gemm]") {
  const int64_t m = 13, n = 19, k = 23, ldc = 40;
  const auto a = random_values(m * k, 7), b = random_values(k * n, 8);
  const auto expected = reference_matmul(a, b, m, n, k);
  const GemmMicroKernel& kernel = best_gemm_micro_kernel();
  std::vector<float> wide(static_cast<size_t>(m * ldc), 7.f);
  gemm(kernel, m, n, k, view_a(MatrixView{a.data(), k, 1}), view_b(MatrixView{b.data(), n, 1}),
       GemmC{wide.data() + 3, ldc, false, nullptr, {}});
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t j = 0; j < ldc; ++j) {
      const float got = wide[i * ldc + j];
      if (j >= 3 && j < 3 + n)
        CHECK(got == Approx(expected[i * n + j - 3]).margin(1e-4));
      else
        CHECK(got == 7.f);  // untouched outside the block
    }
  }
}
