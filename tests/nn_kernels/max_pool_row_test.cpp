// The stride-2 MaxPool row kernel on every ISA this CPU has against a plain
// loop: window widths 1-3, output counts around the vector widths (tails),
// NaN and -inf inputs (a NaN tap is skipped, as in the scalar op).
#include "nn/kernels/max_pool_row.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "reference.hpp"

using namespace neuropipe::nn::kernels;
using neuropipe::test::random_values;

namespace {

std::vector<float> reference_row(const std::vector<float>& row, int64_t k, int64_t count) {
  std::vector<float> out(static_cast<size_t>(count));
  for (int64_t j = 0; j < count; ++j) {
    float m = std::numeric_limits<float>::lowest();
    for (int64_t kw = 0; kw < k; ++kw) m = row[2 * j + kw] > m ? row[2 * j + kw] : m;
    out[j] = m;
  }
  return out;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

}  // namespace

TEST_CASE("stride-2 max pool row kernel equals the scalar loop on every ISA", "[pool][max_pool]") {
  for (Isa isa : supported_isas())
    for (int64_t k = 1; k <= 3; ++k)
      for (int64_t count : {0, 1, 3, 4, 7, 8, 15, 16, 17, 31, 33, 80}) {
        INFO("isa " << isa_name(isa) << " k " << k << " count " << count);
        // Exactly the floats the kernel may read: 2 * count + k (one past the last window).
        auto row = random_values(static_cast<size_t>(2 * count + k), static_cast<uint32_t>(k * 100 + count));
        if (count > 5) {
          row[3] = std::nanf("");
          row[8] = -std::numeric_limits<float>::infinity();
          row[9] = -std::numeric_limits<float>::infinity();
        }
        const auto expected = reference_row(row, k, count);
        std::vector<float> out(static_cast<size_t>(count) + 1, 7.f);  // one guard value past the end
        max_pool_row_stride2(isa, row.data(), k, count, out.data());
        CHECK(out.back() == 7.f);
        out.pop_back();
        CHECK(same_bits(out, expected));
      }
}
