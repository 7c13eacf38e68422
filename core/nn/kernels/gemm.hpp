#pragma once
// Packed single-precision GEMM:  C = act(alpha * A * B  (+ C if accumulate)  + row_bias)
//
// A (M x K) is cut into MR-row panels and B (K x N) into NR-column panels per
// KC-deep block, so the micro-kernel streams both from contiguous memory.
// Either operand may be packed once ahead of time (weights, at model load) or
// packed per output tile while the GEMM runs; B may also come from a custom
// packer (convolution packs image patches straight into panels: implicit im2col).
// Output tiles run in parallel with oneTBB.
#include <cstdint>
#include <functional>
#include <vector>

#include "nn/kernels/activation.hpp"
#include "nn/kernels/aligned_buffer.hpp"
#include "nn/kernels/gemm_micro_kernel.hpp"

namespace neuropipe::nn::kernels {

// Depth of one packed block: a KC x NR panel of B stays in L1 while MR rows of A stream.
constexpr int64_t kGemmKc = 256;

// Element (r, c) of a matrix lives at data[r * row_stride + c * col_stride]
// (a transposed operand is just swapped strides).
struct MatrixView {
  const float* data = nullptr;
  int64_t row_stride = 0;
  int64_t col_stride = 1;
  float at(int64_t r, int64_t c) const { return data[r * row_stride + c * col_stride]; }
};

// Writes rows [k0, k0+kc) (depth) of the MR-row panels of A for rows [0, m)
// at dst (panel p at dst + p*kc*mr, element (row p*mr + r, depth k0 + kk) at
// [kk*mr + r]), zero filling rows past m up to the panel edge.
using APanelPacker = std::function<void(int64_t k0, int64_t kc, int64_t m, int mr, float* dst)>;

// A packed once: every KC block, every MR-row panel, zero padded to MR rows.
class PackedA {
 public:
  PackedA(const GemmMicroKernel& kernel, int64_t m, int64_t k, MatrixView src, float alpha = 1.f);
  // From a custom packer (a convolution's image patches, one pixel per row).
  PackedA(const GemmMicroKernel& kernel, int64_t m, int64_t k, const APanelPacker& packer);
  // Panels of rows [row0, ...) for the block starting at depth k0 (row0 a multiple of MR).
  const float* block(int64_t k0, int64_t row0) const {
    return data_.data() + k0 * padded_m_ + row0 * block_depth(k0);
  }
  int64_t rows() const { return m_; }
  int64_t depth() const { return k_; }
  Isa isa() const { return isa_; }

 private:
  int64_t block_depth(int64_t k0) const { return std::min(kGemmKc, k_ - k0); }
  Isa isa_;
  int64_t m_, k_, padded_m_;
  AlignedBuffer data_;
};

// B packed once: every KC block, every NR-column panel, zero padded to NR columns.
class PackedB {
 public:
  PackedB(const GemmMicroKernel& kernel, int64_t k, int64_t n, MatrixView src);
  const float* block(int64_t k0, int64_t col0) const {
    return data_.data() + k0 * padded_n_ + col0 * block_depth(k0);
  }
  int64_t cols() const { return n_; }
  int64_t depth() const { return k_; }
  Isa isa() const { return isa_; }

 private:
  int64_t block_depth(int64_t k0) const { return std::min(kGemmKc, k_ - k0); }
  Isa isa_;
  int64_t k_, n_, padded_n_;
  AlignedBuffer data_;
};

// Writes rows [k0, k0+kc) x columns [n0, n0+nc) of B into NR-wide panels at
// dst (panel p at dst + p*kc*nr, element (k, j) at [k*nr + j]), zero filling
// columns past nc up to the panel edge.
using BPanelPacker = std::function<void(int64_t k0, int64_t kc, int64_t n0, int64_t nc, int nr, float* dst)>;

struct GemmA {
  const PackedA* packed = nullptr;  // used when set
  MatrixView view;                  // otherwise packed per tile, scaled by alpha
  float alpha = 1.f;
};

// B whose rows are windows of one buffer: B(k, j) = base[row_offsets[k] + j].
// Read in place by the micro-kernel (nothing packed); the caller keeps
// base[row_offsets[k] + j] readable for j up to n rounded up to a multiple of
// NR (the edge tile's extra columns are computed and dropped).
struct ShiftedRows {
  const float* base = nullptr;
  const int64_t* row_offsets = nullptr;  // K entries
};

struct GemmB {
  const PackedB* packed = nullptr;        // used when set
  const BPanelPacker* packer = nullptr;   // else this
  const ShiftedRows* shifted = nullptr;   // else this
  MatrixView view;                        // else this
};

inline GemmA packed_a(const PackedA& p) { return GemmA{&p, MatrixView{}, 1.f}; }
inline GemmA view_a(MatrixView v, float alpha = 1.f) { return GemmA{nullptr, v, alpha}; }
inline GemmB packed_b(const PackedB& p) { return GemmB{&p, nullptr, nullptr, MatrixView{}}; }
inline GemmB packer_b(const BPanelPacker& packer) { return GemmB{nullptr, &packer, nullptr, MatrixView{}}; }
inline GemmB shifted_b(const ShiftedRows& rows) { return GemmB{nullptr, nullptr, &rows, MatrixView{}}; }
inline GemmB view_b(MatrixView v) { return GemmB{nullptr, nullptr, nullptr, v}; }

struct GemmC {
  float* data = nullptr;
  int64_t ldc = 0;
  bool accumulate = false;          // add to the existing C instead of overwriting
  const float* row_bias = nullptr;  // one value per row of C (conv channels), may be null
  Activation activation;
  // A matrix shaped like C (same ldc) added after the bias, before the activation:
  // the skip connection of a fused Conv + Add (ResNet). May be null.
  const float* residual = nullptr;
};

// C overwritten with the plain product, no bias or activation.
inline GemmC plain_output(float* data, int64_t ldc) {
  GemmC c;
  c.data = data;
  c.ldc = ldc;
  return c;
}

// C[M x N] as described above. `parallel` = false runs on the calling thread
// (for callers that already parallelise over many small GEMMs).
void gemm(const GemmMicroKernel& kernel, int64_t m, int64_t n, int64_t k, const GemmA& a, const GemmB& b,
          const GemmC& c, bool parallel = true);

// Packing primitives, exposed for custom B packers and tests.
void pack_a_panels(MatrixView src, float alpha, int64_t row0, int64_t rows, int64_t k0, int64_t kc, int mr,
                   float* dst);
void pack_b_panels(MatrixView src, int64_t k0, int64_t kc, int64_t n0, int64_t nc, int nr, float* dst);

}  // namespace neuropipe::nn::kernels
