// Size: the input's element count as an int64 scalar.
#include "nn/kernel.hpp"

namespace neuropipe::nn {
namespace {

class Size final : public Kernel {
 public:
  explicit Size(const KernelBuildContext&) {}

  void run(KernelContext& ctx) const override {
    const int64_t n = ctx.input(0)->numel();
    ctx.output(0, DType::i64, {}).data<int64_t>()[0] = n;
  }
};

NP_REGISTER_KERNEL("Size", 1, 1000, [](const KernelBuildContext& b) { return std::make_unique<Size>(b); });

}  // namespace
}  // namespace neuropipe::nn
