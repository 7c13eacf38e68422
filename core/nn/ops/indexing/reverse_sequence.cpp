// ReverseSequence: for each batch entry b, reverses the first sequence_lens[b]
// steps along the time axis and keeps the rest; batch_axis/time_axis are 0 or 1.
#include <cstring>

#include "nn/kernel.hpp"
#include "nn/ops/shape/axes.hpp"

namespace neuropipe::nn {
namespace {

class ReverseSequence final : public Kernel {
 public:
  explicit ReverseSequence(const KernelBuildContext& b)
      : batch_axis_(b.attributes().get_int("batch_axis", 1)),
        time_axis_(b.attributes().get_int("time_axis", 0)) {
    const bool valid = (batch_axis_ == 0 && time_axis_ == 1) || (batch_axis_ == 1 && time_axis_ == 0);
    if (!valid) b.fail("batch_axis and time_axis must be 0 and 1 (in either order)");
  }

  void run(KernelContext& ctx) const override {
    const Tensor& data = *ctx.input(0);
    if (data.rank() < 2) ctx.fail("input must have rank >= 2");
    if (data.dtype() == DType::string) ctx.fail("string tensors are not supported");
    const std::vector<int64_t> lens = ctx.input(1)->to_int64_vector();
    const int64_t batch = data.dim(static_cast<size_t>(batch_axis_)),
                  steps = data.dim(static_cast<size_t>(time_axis_));
    if (static_cast<int64_t>(lens.size()) != batch)
      ctx.fail("sequence_lens must have one entry per batch element");
    Tensor& out = ctx.output(0, data.dtype(), data.shape());
    const std::vector<int64_t> strides = ops::contiguous_strides(data.shape());
    const size_t block = static_cast<size_t>(strides[1]) * dtype_size(data.dtype());  // one (dim0, dim1) cell
    const int64_t batch_stride = strides[static_cast<size_t>(batch_axis_)] / strides[1];
    const int64_t time_stride = strides[static_cast<size_t>(time_axis_)] / strides[1];
    const auto* src = static_cast<const uint8_t*>(data.raw());
    auto* dst = static_cast<uint8_t*>(out.raw());
    for (int64_t b = 0; b < batch; ++b) {
      const int64_t len = lens[static_cast<size_t>(b)];
      if (len < 0 || len > steps) ctx.fail("sequence_lens[" + std::to_string(b) + "] is out of range");
      for (int64_t t = 0; t < steps; ++t) {
        const int64_t from = t < len ? len - 1 - t : t;
        std::memcpy(dst + static_cast<size_t>(b * batch_stride + t * time_stride) * block,
                    src + static_cast<size_t>(b * batch_stride + from * time_stride) * block, block);
      }
    }
  }

 private:
  int64_t batch_axis_, time_axis_;
};

NP_REGISTER_KERNEL("ReverseSequence", 10, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<ReverseSequence>(b); });

}  // namespace
}  // namespace neuropipe::nn
