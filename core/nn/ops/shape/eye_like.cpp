// EyeLike: a 2-D tensor shaped like the input with ones on the k-th diagonal,
// in the `dtype` attribute's type (default: the input's).
#include "nn/kernel.hpp"
#include "nn/onnx/tensor_proto.hpp"
#include "nn/ops/common/dtype_dispatch.hpp"

namespace neuropipe::nn {
namespace {

class EyeLike final : public Kernel {
 public:
  explicit EyeLike(const KernelBuildContext& b)
      : k_(b.attributes().get_int("k", 0)),
        dtype_(b.attributes().has("dtype") ? std::optional(onnx_import::dtype_from_onnx(
                                                 static_cast<int>(b.attributes().get_int("dtype", 1)),
                                                 "node '" + b.node_name() + "' attribute 'dtype'"))
                                           : std::nullopt) {}

  void run(KernelContext& ctx) const override {
    const Tensor& like = *ctx.input(0);
    if (like.rank() != 2) ctx.fail("input must be 2-D, got " + shape_to_string(like.shape()));
    const DType dtype = dtype_.value_or(like.dtype());
    Tensor& out = ctx.output(0, dtype, like.shape());
    const int64_t rows = like.dim(0), cols = like.dim(1);
    const bool ok = ops::visit_dtype(dtype, ops::AllTypes{}, [&](auto tag) {
      using T = typename decltype(tag)::type;
      T* o = out.data<T>();
      std::fill(o, o + out.numel(), ops::convert<T>(0.0f));
      for (int64_t r = std::max<int64_t>(0, -k_); r < rows && r + k_ < cols; ++r)
        o[r * cols + r + k_] = ops::convert<T>(1.0f);
    });
    if (!ok) ctx.fail(ops::unsupported_dtype_message(dtype));
  }

 private:
  int64_t k_;
  std::optional<DType> dtype_;  // unset: the input's type
};

NP_REGISTER_KERNEL("EyeLike", 9, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<EyeLike>(b); });

}  // namespace
}  // namespace neuropipe::nn
