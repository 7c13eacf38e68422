// Cast (target from the `to` attribute) and CastLike (target = input 1's type).
// The engine stores float16 values as float32, so a cast to FLOAT16 rounds
// through half precision and stays float32. Strings and bfloat16 targets are
// reported as unsupported at load.
#include <memory>

#include <onnx/onnx_pb.h>

#include "nn/kernel.hpp"
#include "nn/onnx/tensor_proto.hpp"
#include "nn/ops/common/dtype_dispatch.hpp"
#include "nn/ops/common/parallel.hpp"

namespace neuropipe::nn::ops {
namespace {

template <class From, class To>
void convert_all(const From* in, To* out, int64_t n) {
  parallel_chunks(n, kCheapGrain, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) out[i] = convert<To>(in[i]);
  });
}

void round_to_half(float* values, int64_t n) {
  parallel_chunks(n, kCostlyGrain, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) values[i] = half_to_float(float_to_half(values[i]));
  });
}

// Writes `x` converted to `target` as output 0 (a view of x when nothing changes).
void cast_to(KernelContext& ctx, const Tensor& x, DType target, bool round_half) {
  if (x.dtype() == DType::string || target == DType::string) ctx.unsupported("string casts are not supported");
  if (x.dtype() == target && !round_half) return ctx.output_alias(0, x);
  Tensor& y = ctx.output(0, target, x.shape());
  const bool supported = visit_dtype(x.dtype(), AllTypes{}, [&](auto from) {
    using From = typename decltype(from)::type;
    visit_dtype(target, AllTypes{}, [&](auto to) {
      using To = typename decltype(to)::type;
      convert_all(x.data<From>(), y.data<To>(), x.numel());
    });
  });
  if (!supported) ctx.fail(unsupported_dtype_message(x.dtype()));
  if (round_half) round_to_half(y.data<float>(), y.numel());
}

class Cast final : public Kernel {
 public:
  Cast(DType target, bool round_half) : target_(target), round_half_(round_half) {}
  void run(KernelContext& ctx) const override { cast_to(ctx, *ctx.input(0), target_, round_half_); }

 private:
  DType target_;
  bool round_half_;
};

class CastLike final : public Kernel {
 public:
  void run(KernelContext& ctx) const override { cast_to(ctx, *ctx.input(0), ctx.input(1)->dtype(), false); }
};

void reject_unsupported_input(const KernelBuildContext& b, size_t input) {
  if (b.input_type(input).dtype == DType::string) b.unsupported("a string input is not supported");
}

NP_REGISTER_KERNEL("Cast", 6, 1000, [](const KernelBuildContext& b) -> std::unique_ptr<Kernel> {
  const int64_t to = b.attributes().require_int("to");
  if (to == onnx::TensorProto::STRING) b.unsupported("casting to string is not supported");
  if (to == onnx::TensorProto::BFLOAT16) b.unsupported("casting to bfloat16 is not supported");
  reject_unsupported_input(b, 0);
  const DType target = onnx_import::dtype_from_onnx(static_cast<int>(to), "attribute 'to'");
  const bool round_half = to == onnx::TensorProto::FLOAT16;
  return std::make_unique<Cast>(round_half ? DType::f32 : target, round_half);
});

NP_REGISTER_KERNEL("CastLike", 15, 1000, [](const KernelBuildContext& b) -> std::unique_ptr<Kernel> {
  reject_unsupported_input(b, 0);
  reject_unsupported_input(b, 1);
  return std::make_unique<CastLike>();
});

}  // namespace
}  // namespace neuropipe::nn::ops
