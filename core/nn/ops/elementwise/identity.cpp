// Identity: the output is the input (a view, no copy). The remove-identity
// pass drops most Identity nodes; this kernel runs the ones it must keep,
// e.g. an Identity that produces a graph output (its name is the API).
#include <memory>

#include "nn/kernel.hpp"

namespace neuropipe::nn::ops {
namespace {

class Identity final : public Kernel {
 public:
  void run(KernelContext& ctx) const override { ctx.output_alias(0, *ctx.input(0)); }
};

NP_REGISTER_KERNEL("Identity", 1, 1000, [](const KernelBuildContext&) -> std::unique_ptr<Kernel> {
  return std::make_unique<Identity>();
});

}  // namespace
}  // namespace neuropipe::nn::ops
