// Dispatch of the MaxPool row and column kernels (max_pool_row.hpp).
#include "nn/kernels/max_pool_row.hpp"

#include <string>

#include "neuropipe/error.hpp"

namespace neuropipe::nn::kernels {

namespace {

MaxPoolKernels kernels_for(Isa isa) {
  if (!cpu_supports(isa)) throw Error(std::string("max pool row: this CPU does not support ") + isa_name(isa));
  switch (isa) {
    case Isa::avx512:
      return max_pool_kernels_avx512();
    case Isa::avx2:
      return max_pool_kernels_avx2();
    case Isa::scalar:
      break;
  }
  return max_pool_kernels_scalar();
}

const MaxPoolKernels& best_kernels() {
  static const MaxPoolKernels kernels = kernels_for(best_isa());
  return kernels;
}

}  // namespace

void max_pool_row_stride2(Isa isa, const float* row, int64_t k, int64_t count, float* out) {
  kernels_for(isa).row_stride2(row, k, count, out);
}

void max_pool_row_stride1(Isa isa, const float* row, int64_t k, int64_t count, float* out) {
  kernels_for(isa).row_stride1(row, k, count, out);
}

void max_pool_columns(Isa isa, const float* in, int64_t row_stride, int64_t taps, int64_t count, float* out) {
  kernels_for(isa).columns(in, row_stride, taps, count, out);
}

void max_pool_rows_stride1_same(Isa isa, const float* row_max, int64_t w, int64_t k, int64_t pad, int64_t count,
                                float* out) {
  kernels_for(isa).rows_stride1_same(row_max, w, k, pad, count, out);
}

void max_pool_row_stride2(const float* row, int64_t k, int64_t count, float* out) {
  best_kernels().row_stride2(row, k, count, out);
}

void max_pool_row_stride1(const float* row, int64_t k, int64_t count, float* out) {
  best_kernels().row_stride1(row, k, count, out);
}

void max_pool_columns(const float* in, int64_t row_stride, int64_t taps, int64_t count, float* out) {
  best_kernels().columns(in, row_stride, taps, count, out);
}

void max_pool_rows_stride1_same(const float* row_max, int64_t w, int64_t k, int64_t pad, int64_t count,
                                float* out) {
  best_kernels().rows_stride1_same(row_max, w, k, pad, count, out);
}

}  // namespace neuropipe::nn::kernels
