#include "nn/kernels/gemm.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cstring>

namespace neuropipe::nn::kernels {

namespace {

int64_t round_up(int64_t v, int64_t step) { return (v + step - 1) / step * step; }
int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Tile sizes: an MC x KC block of A fits L2, a KC x NC block of B is shared by
// the A panels of the tile.
constexpr int64_t kMaxMc = 192;
constexpr int64_t kMaxNc = 512;

struct TileGrid {
  int64_t mc, nc, tiles_m, tiles_n;
};

// Splits C into tiles, shrinking them until every thread gets a few, so two
// threads scale even on the small matrices of a convolution with few channels.
TileGrid plan_tiles(const GemmMicroKernel& kernel, int64_t m, int64_t n, bool parallel) {
  TileGrid g{round_up(std::min(m, kMaxMc), kernel.mr), round_up(std::min(n, kMaxNc), kernel.nr), 0, 0};
  const int64_t want = parallel ? 4 * tbb::this_task_arena::max_concurrency() : 1;
  auto count = [&] { return ceil_div(m, g.mc) * ceil_div(n, g.nc); };
  while (count() < want && g.nc > 2 * kernel.nr) g.nc = round_up(g.nc / 2, kernel.nr);
  while (count() < want && g.mc > 2 * kernel.mr) g.mc = round_up(g.mc / 2, kernel.mr);
  g.tiles_m = ceil_div(m, g.mc);
  g.tiles_n = ceil_div(n, g.nc);
  return g;
}

// Per-thread packing scratch, reused across calls so the hot loop never allocates.
struct PackScratch {
  AlignedBuffer a, b, edge;
};
PackScratch& pack_scratch() {
  thread_local PackScratch scratch;
  return scratch;
}

// Runs the micro-kernel over one packed block; edge tiles go through a
// full-size temporary so the kernel itself never sees partial tiles.
void multiply_block(const GemmMicroKernel& kernel, int64_t kc, const float* a_block, const float* b_block,
                    int64_t rows, int64_t cols, float* c, int64_t ldc, bool accumulate, float* edge) {
  const int mr = kernel.mr, nr = kernel.nr;
  for (int64_t j = 0; j < cols; j += nr) {
    const float* b_panel = b_block + j * kc;
    const int64_t nj = std::min<int64_t>(nr, cols - j);
    for (int64_t i = 0; i < rows; i += mr) {
      const float* a_panel = a_block + i * kc;
      const int64_t mi = std::min<int64_t>(mr, rows - i);
      float* c_tile = c + i * ldc + j;
      if (mi == mr && nj == nr) {
        kernel.run(kc, a_panel, b_panel, c_tile, ldc, accumulate);
        continue;
      }
      kernel.run(kc, a_panel, b_panel, edge, nr, false);
      for (int64_t r = 0; r < mi; ++r)
        for (int64_t q = 0; q < nj; ++q)
          c_tile[r * ldc + q] = accumulate ? c_tile[r * ldc + q] + edge[r * nr + q] : edge[r * nr + q];
    }
  }
}

void finish_tile(const GemmC& c, int64_t m0, int64_t rows, int64_t n0, int64_t cols) {
  if (!c.row_bias && c.activation.kind == Activation::Kind::none) return;
  for (int64_t r = 0; r < rows; ++r)
    apply_bias_activation(c.data + (m0 + r) * c.ldc + n0, cols, c.row_bias ? c.row_bias[m0 + r] : 0.f,
                          c.activation);
}

void run_tile(const GemmMicroKernel& kernel, int64_t k, const GemmA& a, const GemmB& b, const GemmC& c,
              int64_t m0, int64_t rows, int64_t n0, int64_t cols) {
  PackScratch& scratch = pack_scratch();
  float* edge = scratch.edge.reserve(static_cast<size_t>(kernel.mr * kernel.nr));
  float* c_tile = c.data + m0 * c.ldc + n0;
  if (k == 0) {  // empty inner dimension: C is just its previous value (or zero) plus bias
    for (int64_t r = 0; r < rows && !c.accumulate; ++r) std::fill_n(c_tile + r * c.ldc, cols, 0.f);
  }
  for (int64_t k0 = 0; k0 < k; k0 += kGemmKc) {
    const int64_t kc = std::min(kGemmKc, k - k0);
    const float* a_block;
    if (a.packed) {
      a_block = a.packed->block(k0, m0);
    } else {
      float* dst = scratch.a.reserve(static_cast<size_t>(round_up(rows, kernel.mr) * kc));
      pack_a_panels(a.view, a.alpha, m0, rows, k0, kc, kernel.mr, dst);
      a_block = dst;
    }
    const float* b_block;
    if (b.packed) {
      b_block = b.packed->block(k0, n0);
    } else {
      float* dst = scratch.b.reserve(static_cast<size_t>(round_up(cols, kernel.nr) * kc));
      if (b.packer)
        (*b.packer)(k0, kc, n0, cols, kernel.nr, dst);
      else
        pack_b_panels(b.view, k0, kc, n0, cols, kernel.nr, dst);
      b_block = dst;
    }
    multiply_block(kernel, kc, a_block, b_block, rows, cols, c_tile, c.ldc, c.accumulate || k0 > 0, edge);
  }
  finish_tile(c, m0, rows, n0, cols);
}

}  // namespace

void pack_a_panels(MatrixView src, float alpha, int64_t row0, int64_t rows, int64_t k0, int64_t kc, int mr,
                   float* dst) {
  for (int64_t p = 0; p < rows; p += mr, dst += mr * kc) {
    const int64_t live = std::min<int64_t>(mr, rows - p);
    for (int64_t r = 0; r < mr; ++r) {
      if (r >= live) {
        for (int64_t kk = 0; kk < kc; ++kk) dst[kk * mr + r] = 0.f;
        continue;
      }
      const float* row = src.data + (row0 + p + r) * src.row_stride + k0 * src.col_stride;
      for (int64_t kk = 0; kk < kc; ++kk) dst[kk * mr + r] = alpha * row[kk * src.col_stride];
    }
  }
}

void pack_b_panels(MatrixView src, int64_t k0, int64_t kc, int64_t n0, int64_t nc, int nr, float* dst) {
  for (int64_t p = 0; p < nc; p += nr, dst += nr * kc) {
    const int64_t live = std::min<int64_t>(nr, nc - p);
    for (int64_t kk = 0; kk < kc; ++kk) {
      const float* row = src.data + (k0 + kk) * src.row_stride + (n0 + p) * src.col_stride;
      float* out = dst + kk * nr;
      if (src.col_stride == 1) {
        std::memcpy(out, row, static_cast<size_t>(live) * sizeof(float));
      } else {
        for (int64_t j = 0; j < live; ++j) out[j] = row[j * src.col_stride];
      }
      for (int64_t j = live; j < nr; ++j) out[j] = 0.f;
    }
  }
}

PackedA::PackedA(const GemmMicroKernel& kernel, int64_t m, int64_t k, MatrixView src, float alpha)
    : isa_(kernel.isa), m_(m), k_(k), padded_m_(round_up(m, kernel.mr)) {
  float* dst = data_.reserve(static_cast<size_t>(std::max<int64_t>(1, padded_m_ * k)));
  for (int64_t k0 = 0; k0 < k; k0 += kGemmKc)
    pack_a_panels(src, alpha, 0, m, k0, block_depth(k0), kernel.mr, dst + k0 * padded_m_);
}

PackedB::PackedB(const GemmMicroKernel& kernel, int64_t k, int64_t n, MatrixView src)
    : isa_(kernel.isa), k_(k), n_(n), padded_n_(round_up(n, kernel.nr)) {
  float* dst = data_.reserve(static_cast<size_t>(std::max<int64_t>(1, padded_n_ * k)));
  for (int64_t k0 = 0; k0 < k; k0 += kGemmKc)
    pack_b_panels(src, k0, block_depth(k0), 0, n, kernel.nr, dst + k0 * padded_n_);
}

void gemm(const GemmMicroKernel& kernel, int64_t m, int64_t n, int64_t k, const GemmA& a, const GemmB& b,
          const GemmC& c, bool parallel) {
  if (m <= 0 || n <= 0) return;
  const TileGrid grid = plan_tiles(kernel, m, n, parallel);
  auto run_range = [&](int64_t begin, int64_t end) {
    for (int64_t t = begin; t < end; ++t) {
      const int64_t m0 = (t / grid.tiles_n) * grid.mc, n0 = (t % grid.tiles_n) * grid.nc;
      run_tile(kernel, k, a, b, c, m0, std::min(grid.mc, m - m0), n0, std::min(grid.nc, n - n0));
    }
  };
  const int64_t tiles = grid.tiles_m * grid.tiles_n;
  if (!parallel || tiles == 1) return run_range(0, tiles);
  tbb::parallel_for(tbb::blocked_range<int64_t>(0, tiles, 1),
                    [&](const tbb::blocked_range<int64_t>& r) { run_range(r.begin(), r.end()); });
}

}  // namespace neuropipe::nn::kernels
