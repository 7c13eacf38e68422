#pragma once
// The shared shape of every one-input, same-shape operator (Exp, Relu, ...):
// an element functor, the element types it accepts, and one parallel loop.
// Functors are generic lambdas, so one definition serves every type; attribute
// values are captured at load time. Element types are checked per run, since
// intermediate values may carry no type information at load.
#include <memory>
#include <type_traits>
#include <utility>

#include "nn/kernel.hpp"
#include "nn/ops/common/dtype_dispatch.hpp"
#include "nn/ops/common/parallel.hpp"

namespace neuropipe::nn::ops {

// Element type of an elementwise op's output: its input's, or bool (IsNaN, Less, ...).
enum class ResultType { same_as_input, boolean };

// A functor may offer a vectorised float path next to its element operator:
// `void span(const float* in, float* out, int64_t n) const` (see vector_unary.hpp).
template <class Op>
concept HasFloatSpan = requires(const Op& op, const float* in, float* out, int64_t n) { op.span(in, out, n); };

// out[i] = op(in[i]) for a contiguous range, in parallel.
template <class In, class Out, class Op>
void map_unary(const In* in, Out* out, int64_t n, const Op& op, int64_t grain) {
  if constexpr (std::is_same_v<In, float> && std::is_same_v<Out, float> && HasFloatSpan<Op>) {
    parallel_chunks(n, grain, [&](int64_t begin, int64_t end) { op.span(in + begin, out + begin, end - begin); });
  } else {
    parallel_chunks(n, grain, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) out[i] = convert<Out>(op(in[i]));
    });
  }
}

template <class Types, ResultType result, class Op>
class UnaryKernel final : public Kernel {
 public:
  UnaryKernel(Op op, int64_t grain) : op_(std::move(op)), grain_(grain) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    Tensor& y = ctx.output(0, result == ResultType::boolean ? DType::boolean : x.dtype(), x.shape());
    const bool supported = visit_dtype(x.dtype(), Types{}, [&](auto tag) {
      using T = typename decltype(tag)::type;
      using O = std::conditional_t<result == ResultType::boolean, bool, T>;
      map_unary(x.data<T>(), y.data<O>(), x.numel(), op_, grain_);
    });
    if (!supported) ctx.fail(unsupported_dtype_message(x.dtype()));
  }

 private:
  Op op_;
  int64_t grain_;
};

// Factory for an op without attributes.
template <class Types, ResultType result = ResultType::same_as_input, class Op>
KernelFactory unary_factory(Op op, int64_t grain = kCheapGrain) {
  return [op, grain](const KernelBuildContext&) -> std::unique_ptr<Kernel> {
    return std::make_unique<UnaryKernel<Types, result, Op>>(op, grain);
  };
}

// Factory for an op whose functor depends on attributes: make_op(b) returns the functor.
template <class Types, ResultType result = ResultType::same_as_input, class MakeOp>
KernelFactory unary_factory_from_attributes(MakeOp make_op, int64_t grain = kCheapGrain) {
  return [make_op, grain](const KernelBuildContext& b) -> std::unique_ptr<Kernel> {
    using Op = decltype(make_op(b));
    return std::make_unique<UnaryKernel<Types, result, Op>>(make_op(b), grain);
  };
}

}  // namespace neuropipe::nn::ops
