// The MaxPool row (stride 1 and 2) and column kernels on every ISA this CPU
// has against plain loops: window widths 1-3 (and 5), output counts around the
// vector widths (tails), NaN and -inf inputs (a NaN tap is skipped, as in the
// scalar op; a NaN in a column's first row stays).
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

std::vector<float> reference_row(const std::vector<float>& row, int64_t stride, int64_t k, int64_t count) {
  std::vector<float> out(static_cast<size_t>(count));
  for (int64_t j = 0; j < count; ++j) {
    float m = std::numeric_limits<float>::lowest();
    for (int64_t kw = 0; kw < k; ++kw) m = row[stride * j + kw] > m ? row[stride * j + kw] : m;
    out[j] = m;
  }
  return out;
}

std::vector<float> reference_columns(const std::vector<float>& in, int64_t row_stride, int64_t taps,
                                     int64_t count) {
  std::vector<float> out(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    float m = in[i];
    for (int64_t t = 1; t < taps; ++t) m = in[t * row_stride + i] > m ? in[t * row_stride + i] : m;
    out[i] = m;
  }
  return out;
}

void add_special_values(std::vector<float>& v) {
  if (v.size() < 12) return;
  v[3] = std::nanf("");
  v[8] = -std::numeric_limits<float>::infinity();
  v[9] = -std::numeric_limits<float>::infinity();
  v[11] = std::nanf("");
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  // memcmp must not see the null data() of an empty vector (UBSan flags it).
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

}  // namespace

TEST_CASE("stride-2 max pool row kernel equals the scalar loop on every ISA", "[pool][max_pool]") {
  for (Isa isa : supported_isas())
    for (int64_t k = 1; k <= 3; ++k)
      for (int64_t count : {0, 1, 3, 4, 7, 8, 15, 16, 17, 31, 33, 80}) {
        INFO("isa " << isa_name(isa) << " k " << k << " count " << count);
        // Exactly the floats the kernel may read: 2 * count + k (one past the last window).
        auto row = random_values(static_cast<size_t>(2 * count + k), static_cast<uint32_t>(k * 100 + count));
        add_special_values(row);
        const auto expected = reference_row(row, 2, k, count);
        std::vector<float> out(static_cast<size_t>(count) + 1, 7.f);  // one guard value past the end
        max_pool_row_stride2(isa, row.data(), k, count, out.data());
        CHECK(out.back() == 7.f);
        out.pop_back();
        CHECK(same_bits(out, expected));
      }
}

TEST_CASE("stride-1 max pool row kernel equals the scalar loop on every ISA", "[pool][max_pool]") {
  for (Isa isa : supported_isas())
    for (int64_t k : {1, 2, 3, 5})
      for (int64_t count : {0, 1, 3, 4, 7, 8, 15, 16, 17, 31, 33, 80}) {
        INFO("isa " << isa_name(isa) << " k " << k << " count " << count);
        // Exactly the floats the windows cover: the kernel reads nothing past them.
        auto row = random_values(static_cast<size_t>(count + k - 1), static_cast<uint32_t>(k * 300 + count));
        add_special_values(row);
        const auto expected = reference_row(row, 1, k, count);
        std::vector<float> out(static_cast<size_t>(count) + 1, 7.f);  // one guard value past the end
        max_pool_row_stride1(isa, row.data(), k, count, out.data());
        CHECK(out.back() == 7.f);
        out.pop_back();
        CHECK(same_bits(out, expected));
      }
}

TEST_CASE("max pool column kernel equals the scalar loop on every ISA", "[pool][max_pool]") {
  for (Isa isa : supported_isas())
    for (int64_t taps : {1, 2, 3})
      for (int64_t row_stride : {7, 14, 33})
        for (int64_t count : {int64_t{0}, int64_t{1}, row_stride, 5 * row_stride}) {
          INFO("isa " << isa_name(isa) << " taps " << taps << " row stride " << row_stride << " count " << count);
          auto in = random_values(static_cast<size_t>((taps - 1) * row_stride + count),
                                  static_cast<uint32_t>(taps * 1000 + row_stride * 10 + count));
          add_special_values(in);
          if (in.size() > static_cast<size_t>(row_stride + 3)) in[row_stride + 3] = std::nanf("");  // a later row
          const auto expected = reference_columns(in, row_stride, taps, count);
          std::vector<float> out(static_cast<size_t>(count) + 1, 7.f);
          max_pool_columns(isa, in.data(), row_stride, taps, count, out.data());
          CHECK(out.back() == 7.f);
          out.pop_back();
          CHECK(same_bits(out, expected));
        }
}

TEST_CASE("same-width stride-1 max pool rows kernel equals per-row windows on every ISA", "[pool][max_pool]") {
  struct Case {
    int64_t w, k, pad, rows;
  };
  // GoogLeNet's 7-, 14- and 28-wide rows; rows narrower than a vector, wider
  // than two; asymmetric padding (pad 0 and pad k - 1); 5-wide windows.
  const Case cases[] = {{7, 3, 1, 7}, {14, 3, 1, 5}, {28, 3, 1, 3}, {1, 3, 1, 9}, {2, 3, 2, 6},
                        {5, 3, 0, 11}, {33, 3, 2, 2}, {9, 5, 2, 4}, {17, 2, 1, 3}, {3, 1, 0, 5}};
  for (Isa isa : supported_isas())
    for (const Case& c : cases) {
      INFO("isa " << isa_name(isa) << " w " << c.w << " k " << c.k << " pad " << c.pad << " rows " << c.rows);
      const int64_t count = c.w * c.rows;
      auto row_max = random_values(static_cast<size_t>(count), static_cast<uint32_t>(c.w * 100 + c.k * 10 + c.pad));
      add_special_values(row_max);
      std::vector<float> expected(static_cast<size_t>(count));
      for (int64_t r = 0; r < c.rows; ++r)
        for (int64_t col = 0; col < c.w; ++col) {  // lowest(), then the taps inside the row when greater
          float m = std::numeric_limits<float>::lowest();
          for (int64_t kw = 0; kw < c.k; ++kw) {
            const int64_t x = col - c.pad + kw;
            if (x >= 0 && x < c.w) m = row_max[r * c.w + x] > m ? row_max[r * c.w + x] : m;
          }
          expected[r * c.w + col] = m;
        }
      std::vector<float> out(static_cast<size_t>(count) + 1, 7.f);
      max_pool_rows_stride1_same(isa, row_max.data(), c.w, c.k, c.pad, count, out.data());
      CHECK(out.back() == 7.f);
      out.pop_back();
      CHECK(same_bits(out, expected));
    }
}
