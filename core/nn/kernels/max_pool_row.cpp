// Dispatch of the stride-2 MaxPool row kernel (max_pool_row.hpp).
#include "nn/kernels/max_pool_row.hpp"

#include <string>

#include "neuropipe/error.hpp"

namespace neuropipe::nn::kernels {

namespace {

MaxPoolRowKernel kernel_for(Isa isa) {
  if (!cpu_supports(isa)) throw Error(std::string("max pool row: this CPU does not support ") + isa_name(isa));
  switch (isa) {
    case Isa::avx512:
      return max_pool_row_kernel_avx512();
    case Isa::avx2:
      return max_pool_row_kernel_avx2();
    case Isa::scalar:
      break;
  }
  return max_pool_row_kernel_scalar();
}

}  // namespace

void max_pool_row_stride2(Isa isa, const float* row, int64_t k, int64_t count, float* out) {
  kernel_for(isa)(row, k, count, out);
}

void max_pool_row_stride2(const float* row, int64_t k, int64_t count, float* out) {
  static const MaxPoolRowKernel kernel = kernel_for(best_isa());
  kernel(row, k, count, out);
}

}  // namespace neuropipe::nn::kernels
