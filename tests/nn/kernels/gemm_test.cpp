// The packed GEMM against a plain triple loop: tails in M, N and K, both
// operands packed ahead or per tile, transposed views, accumulate, bias and
// activation epilogues, on every ISA the CPU supports.
#include "nn/kernels/gemm.hpp"

#include <catch2/catch.hpp>

#include <optional>
#include <string>

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
                      Activation::Kind::leaky_relu, Activation::Kind::sigmoid, Activation::Kind::tanh,
                      Activation::Kind::hard_sigmoid, Activation::Kind::hard_swish, Activation::Kind::elu}) {
      Activation act{kind, kind == Activation::Kind::clip ? -0.5f : 0.1f, 0.75f};
      std::vector<float> expected(product.size());
      for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < n; ++j) {
          float v = 0.5f * product[i * n + j] + prior[i * n + j] + bias[i];
          if (kind == Activation::Kind::relu) v = std::max(v, 0.f);
          if (kind == Activation::Kind::clip) v = std::min(std::max(v, -0.5f), 0.75f);
          if (kind == Activation::Kind::leaky_relu && v < 0) v *= 0.1f;
          if (kind == Activation::Kind::sigmoid) v = 1.f / (1.f + std::exp(-v));
          if (kind == Activation::Kind::tanh) v = std::tanh(v);
          if (kind == Activation::Kind::hard_sigmoid) v = std::min(std::max(0.1f * v + 0.75f, 0.f), 1.f);
          if (kind == Activation::Kind::hard_swish) v = v * std::min(std::max(v / 6.f + 0.5f, 0.f), 1.f);
          if (kind == Activation::Kind::elu && v < 0) v = 0.1f * std::expm1(v);
          expected[i * n + j] = v;
        }
      std::vector<float> c = prior;
      gemm(kernel, m, n, k, GemmA{nullptr, {a.data(), k, 1}, 0.5f}, view_b(MatrixView{b.data(), n, 1}),
           GemmC{c.data(), n, true, bias.data(), act});
      CHECK(max_abs_diff(c, expected) < 1e-4f);
    }
  }
}

TEST_CASE("GEMM epilogue adds a residual after the bias, before the activation", "[gemm]") {
  const int64_t m = 13, n = 37, k = 21;  // edge tiles on every ISA
  const auto a = random_values(m * k, 51), b = random_values(k * n, 52), skip = random_values(m * n, 53);
  const auto bias = random_values(m, 54);
  const auto product = reference_matmul(a, b, m, n, k);
  for (Isa isa : supported_isas()) {
    INFO("isa " << isa_name(isa));
    std::vector<float> expected(product.size());
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j)
        expected[i * n + j] = std::max(product[i * n + j] + bias[i] + skip[i * n + j], 0.f);
    std::vector<float> c(product.size(), 7.f);
    GemmC out = plain_output(c.data(), n);
    out.row_bias = bias.data();
    out.activation.kind = Activation::Kind::relu;
    out.residual = skip.data();
    gemm(gemm_micro_kernel(isa), m, n, k, view_a(MatrixView{a.data(), k, 1}), view_b(MatrixView{b.data(), n, 1}),
         out);
    CHECK(max_abs_diff(c, expected) < 1e-5f);
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

TEST_CASE("fused_activation_from reads every fusable activation with the ONNX defaults", "[gemm][activation]") {
  auto parse = [](const std::string& name, std::optional<float> alpha = {}) {
    neuropipe::nn::Attributes attrs;
    attrs.set("_fused_activation", name);
    if (alpha) attrs.set("_fused_alpha", *alpha);
    return fused_activation_from(attrs);
  };
  CHECK(parse("Sigmoid").kind == Activation::Kind::sigmoid);
  CHECK(parse("Tanh").kind == Activation::Kind::tanh);
  CHECK(parse("HardSwish").kind == Activation::Kind::hard_swish);
  const Activation hard_sigmoid = parse("HardSigmoid");
  CHECK(hard_sigmoid.kind == Activation::Kind::hard_sigmoid);
  CHECK(hard_sigmoid.alpha == 0.2f);
  CHECK(hard_sigmoid.beta == 0.5f);
  CHECK(parse("Elu").alpha == 1.0f);
  CHECK(parse("Elu", 0.3f).alpha == 0.3f);
  CHECK_THROWS_WITH(parse("Softplus"), Catch::Contains("unsupported activation 'Softplus'"));
}
