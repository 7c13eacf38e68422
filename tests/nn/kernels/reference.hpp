#pragma once
// Plain, obviously-correct implementations the fast kernels are checked against,
// plus deterministic random data.
#include <catch2/catch.hpp>
#include <cstdint>
#include <random>
#include <vector>

namespace neuropipe::test {

inline std::vector<float> random_values(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1.f, 1.f);
  std::vector<float> v(n);
  for (auto& x : v) x = dist(rng);
  return v;
}

// C[m x n] = A[m x k] * B[k x n], all row-major, accumulated in double.
inline std::vector<float> reference_matmul(const std::vector<float>& a, const std::vector<float>& b,
                                           int64_t m, int64_t n, int64_t k) {
  std::vector<float> c(static_cast<size_t>(m * n));
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double s = 0;
      for (int64_t q = 0; q < k; ++q) s += double(a[i * k + q]) * b[q * n + j];
      c[i * n + j] = static_cast<float>(s);
    }
  return c;
}

// Largest absolute difference, failing on a size mismatch.
inline float max_abs_diff(const std::vector<float>& x, const std::vector<float>& y) {
  REQUIRE(x.size() == y.size());
  float worst = 0;
  for (size_t i = 0; i < x.size(); ++i) worst = std::max(worst, std::abs(x[i] - y[i]));
  return worst;
}

}  // namespace neuropipe::test
