// Size: the number of elements of the input, as an int64 scalar.
#include <memory>

#include "nn/kernel.hpp"

namespace neuropipe::nn::ops {
namespace {

class Size final : public Kernel {
 public:
  void run(KernelContext& ctx) const override {
    const int64_t n = ctx.input(0)->numel();
    ctx.output(0, DType::i64, {}).data<int64_t>()[0] = n;
  }
};

NP_REGISTER_KERNEL("Size", 1, 1000,
                   [](const KernelBuildContext&) -> std::unique_ptr<Kernel> { return std::make_unique<Size>(); });

}  // namespace
}  // namespace neuropipe::nn::ops
