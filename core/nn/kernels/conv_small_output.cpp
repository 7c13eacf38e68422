// Dispatch, weight packing and scratch of the small-output convolution: the
// per-ISA code stages rows and computes, this file (baseline ISA) owns buffers.
#include "nn/kernels/conv_small_output.hpp"

#include <algorithm>
#include <string>

#include "neuropipe/error.hpp"

namespace neuropipe::nn::kernels {

namespace {

const SmallOutputKernel& small_output_kernel(Isa isa) {
  if (!cpu_supports(isa))
    throw Error(std::string("small-output conv: this CPU does not support ") + isa_name(isa));
  switch (isa) {
    case Isa::avx512:
      return small_output_kernel_avx512();
    case Isa::avx2:
      return small_output_kernel_avx2();
    case Isa::scalar:
      break;
  }
  return small_output_kernel_scalar();
}

// One thread's buffers, reused across calls.
struct ScratchBuffers {
  std::vector<float> rows;
  std::vector<int64_t> row_tags, tap_offsets;
  std::vector<const float*> tap_rows;
};

}  // namespace

bool small_output_applies(int64_t out_channels, int64_t in_channels, int64_t kernel_size) {
  if (kernel_size <= 1) return false;
  return out_channels <= kSmallOutputBlock || (in_channels <= 4 && out_channels <= 32);
}

std::vector<float> pack_small_output_weights(const float* w, int64_t m, int64_t patch) {
  std::vector<float> packed(static_cast<size_t>(m * patch));
  for (int64_t m0 = 0; m0 < m; m0 += kSmallOutputBlock) {
    const int64_t mb = std::min(kSmallOutputBlock, m - m0);
    for (int64_t o = 0; o < mb; ++o)
      for (int64_t t = 0; t < patch; ++t)
        packed[static_cast<size_t>(m0 * patch + t * mb + o)] = w[(m0 + o) * patch + t];
  }
  return packed;
}

void conv_small_output_rows(Isa isa, const float* image, const float* packed_weights, int64_t m,
                            const float* bias, const Activation& act, const ConvGeometry& g,
                            int64_t row_begin, int64_t row_end, float* out, const float* residual) {
  if (m < 1) throw Error("small-output conv: " + std::to_string(m) + " output channels");
  if (g.in[0] != 1 || g.kernel[0] != 1) throw Error("small-output conv: 1-D and 2-D only");
  const SmallOutputKernel& kernel = small_output_kernel(isa);
  thread_local ScratchBuffers b;
  const int64_t stride = g.stride[2], dilation = g.dilation[2];
  SmallOutputCall call{image, packed_weights, m, bias, &act,    &g,      row_begin, row_end,
                       out,   residual,       0, 0,    nullptr, nullptr, nullptr,   nullptr};
  call.row_len =
      (g.out[2] + kernel.block - 1) / kernel.block * kernel.block + (g.kernel[2] - 1) * dilation / stride;
  call.ring = (g.kernel[1] - 1) * g.dilation[1] + 1;
  const size_t row_floats = static_cast<size_t>(stride * call.row_len);
  b.rows.resize(static_cast<size_t>(g.channels * call.ring + 1) * row_floats);
  std::fill(b.rows.end() - static_cast<std::ptrdiff_t>(row_floats), b.rows.end(), 0.f);
  b.row_tags.resize(static_cast<size_t>(g.channels * call.ring));
  b.tap_offsets.resize(static_cast<size_t>(g.kernel[2]));
  for (int64_t kw = 0; kw < g.kernel[2]; ++kw)
    b.tap_offsets[kw] = (kw * dilation % stride) * call.row_len + kw * dilation / stride;
  b.tap_rows.resize(static_cast<size_t>(g.channels * g.kernel[1]));
  call.rows = b.rows.data();
  call.row_tags = b.row_tags.data();
  call.tap_offsets = b.tap_offsets.data();
  call.tap_rows = b.tap_rows.data();
  kernel.rows(call);
}

void conv_small_output_rows(const float* image, const float* packed_weights, int64_t m, const float* bias,
                            const Activation& act, const ConvGeometry& g, int64_t row_begin, int64_t row_end,
                            float* out, const float* residual) {
  static const Isa isa = best_isa();
  conv_small_output_rows(isa, image, packed_weights, m, bias, act, g, row_begin, row_end, out, residual);
}

}  // namespace neuropipe::nn::kernels
