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

// Block sizes: an MC x KC block of A (192 KB) and a KC x NC block of B
// (512 KB) share L2, while one KC x NR panel of B (32 KB) stays in L1.
constexpr int64_t kMaxMc = 192;
constexpr int64_t kMaxNc = 512;

// The work split: C's columns cut into NC-wide blocks, and, only when that
// gives the threads too few tasks, its rows into groups. A task packs each
// KC x NC block of B once and runs every row of its group against it, so B
// (im2col patches, the big operand of a convolution) is packed once per row
// group instead of once per MC rows.
struct TaskGrid {
  int64_t nc, tiles_n, group_rows, groups;
};

TaskGrid plan_tasks(const GemmMicroKernel& kernel, int64_t m, int64_t n, bool parallel) {
  TaskGrid g{round_up(std::min(n, kMaxNc), kernel.nr), 0, 0, 0};
  // Several tasks per thread balance the load; one thread gains nothing from
  // splitting and would stream A once per extra column block.
  const int64_t threads = parallel ? tbb::this_task_arena::max_concurrency() : 1;
  const int64_t want = threads > 1 ? 4 * threads : 1;
  while (ceil_div(n, g.nc) < want && g.nc > 2 * kernel.nr) g.nc = round_up(g.nc / 2, kernel.nr);
  g.tiles_n = ceil_div(n, g.nc);
  const int64_t panels_m = ceil_div(m, kernel.mr);
  const int64_t groups = std::clamp<int64_t>(ceil_div(want, g.tiles_n), 1, panels_m);
  g.group_rows = ceil_div(panels_m, groups) * kernel.mr;
  g.groups = ceil_div(m, g.group_rows);
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
// B of one KC block as the micro-kernel reads it: packed panels, or rows in place.
struct BBlock {
  const float* panels = nullptr;         // packed: panel p at panels + p*kc*nr
  const float* base = nullptr;           // in place: row k at base + row_offsets[k]
  const int64_t* row_offsets = nullptr;  //   (already advanced to the block's k0 and n0)
};

void run_tile(const GemmMicroKernel& kernel, int64_t kc, const float* a_panel, const BBlock& b, int64_t j,
              float* c, int64_t ldc, bool accumulate) {
  if (b.panels)
    kernel.run(kc, a_panel, b.panels + j * kc, c, ldc, accumulate);
  else
    kernel.run_shifted(kc, a_panel, b.base + j, b.row_offsets, c, ldc, accumulate);
}

void multiply_block(const GemmMicroKernel& kernel, int64_t kc, const float* a_block, const BBlock& b_block,
                    int64_t rows, int64_t cols, float* c, int64_t ldc, bool accumulate, float* edge) {
  const int mr = kernel.mr, nr = kernel.nr;
  for (int64_t j = 0; j < cols; j += nr) {
    const int64_t nj = std::min<int64_t>(nr, cols - j);
    for (int64_t i = 0; i < rows; i += mr) {
      const float* a_panel = a_block + i * kc;
      const int64_t mi = std::min<int64_t>(mr, rows - i);
      float* c_tile = c + i * ldc + j;
      if (mi == mr && nj == nr) {
        run_tile(kernel, kc, a_panel, b_block, j, c_tile, ldc, accumulate);
        continue;
      }
      run_tile(kernel, kc, a_panel, b_block, j, edge, nr, false);
      for (int64_t r = 0; r < mi; ++r)
        for (int64_t q = 0; q < nj; ++q)
          c_tile[r * ldc + q] = accumulate ? c_tile[r * ldc + q] + edge[r * nr + q] : edge[r * nr + q];
    }
  }
}

// The epilogue, while the tile is still in cache: residual, bias, activation.
void finish_tile(const GemmC& c, int64_t m0, int64_t rows, int64_t n0, int64_t cols) {
  if (!c.row_bias && !c.residual && c.activation.kind == Activation::Kind::none) return;
  for (int64_t r = 0; r < rows; ++r) {
    float* row = c.data + (m0 + r) * c.ldc + n0;
    const float bias = c.row_bias ? c.row_bias[m0 + r] : 0.f;
    if (!c.residual) {
      apply_bias_activation(row, cols, bias, c.activation);
      continue;
    }
    // (C + bias) + skip, in the order of the unfused graph, so fusion is bit-identical.
    const float* skip = c.residual + (m0 + r) * c.ldc + n0;
    for (int64_t j = 0; j < cols; ++j) row[j] = (row[j] + bias) + skip[j];
    apply_bias_activation(row, cols, 0.f, c.activation);
  }
}

// Rows [m_begin, m_end) x columns [n0, n0+cols) of C: per KC block, B packed
// once, then every MC block of A against it.
void run_task(const GemmMicroKernel& kernel, int64_t k, const GemmA& a, const GemmB& b, const GemmC& c,
              int64_t m_begin, int64_t m_end, int64_t n0, int64_t cols) {
  PackScratch& scratch = pack_scratch();
  float* edge = scratch.edge.reserve(static_cast<size_t>(kernel.mr * kernel.nr));
  if (k == 0) {  // empty inner dimension: C is just its previous value (or zero) plus bias
    for (int64_t r = m_begin; r < m_end && !c.accumulate; ++r) std::fill_n(c.data + r * c.ldc + n0, cols, 0.f);
  }
  for (int64_t k0 = 0; k0 < k; k0 += kGemmKc) {
    const int64_t kc = std::min(kGemmKc, k - k0);
    BBlock b_block;
    if (b.packed) {
      b_block.panels = b.packed->block(k0, n0);
    } else if (b.shifted) {
      b_block.base = b.shifted->base + n0;
      b_block.row_offsets = b.shifted->row_offsets + k0;
    } else {
      float* dst = scratch.b.reserve(static_cast<size_t>(round_up(cols, kernel.nr) * kc));
      if (b.packer)
        (*b.packer)(k0, kc, n0, cols, kernel.nr, dst);
      else
        pack_b_panels(b.view, k0, kc, n0, cols, kernel.nr, dst);
      b_block.panels = dst;
    }
    for (int64_t m0 = m_begin; m0 < m_end; m0 += kMaxMc) {
      const int64_t rows = std::min(kMaxMc, m_end - m0);
      const float* a_block;
      if (a.packed) {
        a_block = a.packed->block(k0, m0);
      } else {
        float* dst = scratch.a.reserve(static_cast<size_t>(round_up(rows, kernel.mr) * kc));
        pack_a_panels(a.view, a.alpha, m0, rows, k0, kc, kernel.mr, dst);
        a_block = dst;
      }
      multiply_block(kernel, kc, a_block, b_block, rows, cols, c.data + m0 * c.ldc + n0, c.ldc,
                     c.accumulate || k0 > 0, edge);
    }
  }
  finish_tile(c, m_begin, m_end - m_begin, n0, cols);
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

PackedA::PackedA(const GemmMicroKernel& kernel, int64_t m, int64_t k, const APanelPacker& packer)
    : isa_(kernel.isa), m_(m), k_(k), padded_m_(round_up(m, kernel.mr)) {
  float* dst = data_.reserve(static_cast<size_t>(std::max<int64_t>(1, padded_m_ * k)));
  for (int64_t k0 = 0; k0 < k; k0 += kGemmKc) packer(k0, block_depth(k0), m, kernel.mr, dst + k0 * padded_m_);
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
  const TaskGrid grid = plan_tasks(kernel, m, n, parallel);
  auto run_range = [&](int64_t begin, int64_t end) {
    for (int64_t t = begin; t < end; ++t) {
      const int64_t m0 = (t / grid.tiles_n) * grid.group_rows, n0 = (t % grid.tiles_n) * grid.nc;
      run_task(kernel, k, a, b, c, m0, std::min(m, m0 + grid.group_rows), n0, std::min(grid.nc, n - n0));
    }
  };
  const int64_t tasks = grid.groups * grid.tiles_n;
  if (!parallel || tasks == 1) return run_range(0, tasks);
  tbb::parallel_for(tbb::blocked_range<int64_t>(0, tasks, 1),
                    [&](const tbb::blocked_range<int64_t>& r) { run_range(r.begin(), r.end()); });
}

}  // namespace neuropipe::nn::kernels
