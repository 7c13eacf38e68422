#pragma once
// The "along which elements" rule shared by Softmax, LogSoftmax and Hardmax.
// Before opset 13 the input is coerced to 2-D [prod(d[:axis]), prod(d[axis:])]
// and the op runs along the whole second dim (default axis 1); from 13 on it
// runs along the one dimension `axis` (default -1). Either way the tensor is
// seen as [outer, length, inner] and the op runs on each strided line.
#include <memory>

#include "nn/ops/dense/dense_op_support.hpp"

namespace neuropipe::nn::ops {

struct SoftmaxLines {
  int64_t outer = 1, length = 1, inner = 1;
  int64_t count() const { return outer * inner; }
  // First element of line i and the stride between its elements.
  int64_t start(int64_t i) const { return (i / inner) * length * inner + i % inner; }
};

class SoftmaxAxis {
 public:
  explicit SoftmaxAxis(const KernelBuildContext& b)
      : coerce_2d_(b.opset() < 13), axis_(b.attributes().get_int("axis", coerce_2d_ ? 1 : -1)) {}

  SoftmaxLines lines(const KernelContext& ctx, const Shape& shape) const {
    const size_t axis = normalize_axis(ctx, axis_, shape.size());
    SoftmaxLines l;
    l.outer = dims_product(shape, 0, axis);
    if (coerce_2d_) {
      l.length = dims_product(shape, axis, shape.size());
    } else {
      l.length = shape.empty() ? 1 : shape[axis];
      l.inner = dims_product(shape, axis + 1, shape.size());
    }
    return l;
  }

 private:
  bool coerce_2d_;
  int64_t axis_;
};

// Runs line_op(in, out, length, stride) over every line in parallel.
template <class LineOp>
void for_each_softmax_line(const SoftmaxLines& l, const float* in, float* out, LineOp&& line_op) {
  parallel_chunks(l.count(), grain_for_cost(l.length * 8), [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      const int64_t s = l.start(i);
      line_op(in + s, out + s, l.length, l.inner);
    }
  });
}

// The whole Softmax/LogSoftmax/Hardmax kernel: float input, same-shape
// output, LineOp applied to each line picked by the axis rule.
template <class LineOp>
class LineKernel final : public Kernel {
 public:
  explicit LineKernel(const KernelBuildContext& b) : axis_(b) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = float_input(ctx, 0, "input");
    Tensor& y = ctx.output(0, DType::f32, x.shape());
    if (x.numel() == 0) return;
    for_each_softmax_line(axis_.lines(ctx, x.shape()), x.data<float>(), y.data<float>(), LineOp{});
  }

 private:
  SoftmaxAxis axis_;
};

}  // namespace neuropipe::nn::ops
