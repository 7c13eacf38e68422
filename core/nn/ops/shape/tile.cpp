// Tile: repeats the input `repeats[d]` times along each dim. Each output row
// (all dims but the last) is one input row written repeats[last] times.
#include <cstring>

#include "nn/kernel.hpp"
#include "nn/ops/common/parallel.hpp"
#include "nn/ops/shape/axes.hpp"

namespace neuropipe::nn {
namespace {

class Tile final : public Kernel {
 public:
  explicit Tile(const KernelBuildContext&) {}

  void run(KernelContext& ctx) const override {
    const Tensor& data = *ctx.input(0);
    const std::vector<int64_t> repeats = ctx.input(1)->to_int64_vector();
    if (repeats.size() != data.rank()) {
      ctx.fail("repeats has " + std::to_string(repeats.size()) + " entries for rank " +
               std::to_string(data.rank()));
    }
    if (data.dtype() == DType::string) ctx.fail("string tensors are not supported");
    Shape out_shape = data.shape();
    for (size_t d = 0; d < repeats.size(); ++d) {
      if (repeats[d] < 0) ctx.fail("repeats[" + std::to_string(d) + "] is negative");
      out_shape[d] *= repeats[d];
    }
    Tensor& out = ctx.output(0, data.dtype(), out_shape);
    if (out.numel() == 0) return;
    if (data.rank() == 0) {
      std::memcpy(out.raw(), data.raw(), dtype_size(data.dtype()));
      return;
    }
    tile_rows(data, out);
  }

 private:
  static void tile_rows(const Tensor& data, Tensor& out) {
    const size_t width = dtype_size(data.dtype());
    const Shape& in = data.shape();
    const Shape& os = out.shape();
    const size_t last = in.size() - 1;
    const size_t in_row = static_cast<size_t>(in[last]) * width,
                 out_row = static_cast<size_t>(os[last]) * width;
    const std::vector<int64_t> in_strides = ops::contiguous_strides(in);
    const int64_t rows = out.numel() / os[last];
    const auto* src = static_cast<const uint8_t*>(data.raw());
    auto* dst = static_cast<uint8_t*>(out.raw());
    ops::parallel_chunks(rows, ops::grain_for_cost(os[last]), [&](int64_t begin, int64_t end) {
      for (int64_t r = begin; r < end; ++r) {
        int64_t rest = r, in_off = 0;
        for (size_t d = last; d-- > 0;) {
          in_off += (rest % os[d]) % in[d] * in_strides[d];
          rest /= os[d];
        }
        uint8_t* row = dst + static_cast<size_t>(r) * out_row;
        for (size_t at = 0; at < out_row; at += in_row) std::memcpy(row + at, src + in_off * width, in_row);
      }
    });
  }
};

NP_REGISTER_KERNEL("Tile", 6, 1000, [](const KernelBuildContext& b) { return std::make_unique<Tile>(b); });

}  // namespace
}  // namespace neuropipe::nn
