#pragma once
// The shared shape of two-input broadcasting operators (Add, Less, And, ...):
// both inputs have one element type from `Types`; the output has that type, or
// bool for comparisons. Functors are generic lambdas.
#include <memory>
#include <utility>

#include "nn/kernel.hpp"
#include "nn/ops/common/broadcast.hpp"
#include "nn/ops/common/dtype_dispatch.hpp"
#include "nn/ops/elementwise/unary.hpp"

namespace neuropipe::nn::ops {

// The broadcast shape of two inputs, or a failure naming the node and both shapes.
inline Shape broadcast_or_fail(const KernelContext& ctx, const Shape& a, const Shape& b) {
  Shape shape;
  try {
    shape = broadcast_shape(a, b);
  } catch (const Error& e) {
    ctx.fail(e.what());
  }
  return shape;
}

template <class Types, ResultType result, class Op>
class BinaryKernel final : public Kernel {
 public:
  BinaryKernel(Op op, int64_t grain) : op_(std::move(op)), grain_(grain) {}

  void run(KernelContext& ctx) const override {
    const Tensor& a = *ctx.input(0);
    const Tensor& b = *ctx.input(1);
    if (a.dtype() != b.dtype())
      ctx.fail(std::string("inputs have different element types ") + dtype_name(a.dtype()) + " and " +
               dtype_name(b.dtype()));
    const Shape shape = broadcast_or_fail(ctx, a.shape(), b.shape());
    const DType out_type = result == ResultType::boolean ? DType::boolean : a.dtype();
    Tensor& out = ctx.output(0, out_type, shape);
    const bool supported = visit_dtype(a.dtype(), Types{}, [&](auto tag) {
      using T = typename decltype(tag)::type;
      using O = std::conditional_t<result == ResultType::boolean, bool, T>;
      broadcast_binary(a.data<T>(), a.shape(), b.data<T>(), b.shape(), out.data<O>(), shape,
                       [this](T x, T y) { return convert<O>(op_(x, y)); }, grain_);
    });
    if (!supported) ctx.fail(unsupported_dtype_message(a.dtype()));
  }

 private:
  Op op_;
  int64_t grain_;
};

template <class Types, ResultType result = ResultType::same_as_input, class Op>
KernelFactory binary_factory(Op op, int64_t grain = kCheapGrain) {
  return [op, grain](const KernelBuildContext&) -> std::unique_ptr<Kernel> {
    return std::make_unique<BinaryKernel<Types, result, Op>>(op, grain);
  };
}

template <class Types, ResultType result = ResultType::same_as_input, class MakeOp>
KernelFactory binary_factory_from_attributes(MakeOp make_op, int64_t grain = kCheapGrain) {
  return [make_op, grain](const KernelBuildContext& b) -> std::unique_ptr<Kernel> {
    using Op = decltype(make_op(b));
    return std::make_unique<BinaryKernel<Types, result, Op>>(make_op(b), grain);
  };
}

}  // namespace neuropipe::nn::ops
