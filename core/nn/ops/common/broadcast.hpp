#pragma once
// Multidirectional (numpy-style) broadcasting, as ONNX defines it: shapes are
// right-aligned, and each dimension must be equal or 1.
//
// BroadcastPlan<N> describes how N inputs map onto the output. Dimensions are
// collapsed first (1s dropped, neighbours merged where every input is laid out
// the same way), so the output is walked as runs of `inner` elements in which
// each input either advances by one or stays put. The per-element loops over
// such a run are simple enough for the compiler to vectorise.
#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "neuropipe/nn/tensor.hpp"
#include "nn/ops/common/parallel.hpp"

namespace neuropipe::nn::ops {

// The broadcast result of two or more shapes. Throws neuropipe::Error naming the shapes.
Shape broadcast_shape(const Shape& a, const Shape& b);
Shape broadcast_shapes(std::span<const Shape> shapes);

// Row-major strides (in elements) of `in` seen through the output shape `out`:
// 0 along broadcast dimensions. `in` must broadcast to `out`.
std::vector<int64_t> broadcast_strides(const Shape& in, const Shape& out);

template <size_t N>
class BroadcastPlan {
 public:
  BroadcastPlan(const Shape& out, const std::array<Shape, N>& inputs);

  int64_t numel() const { return numel_; }
  int64_t inner() const { return inner_; }
  // 1 when input k advances with the output along the inner run, 0 when broadcast.
  const std::array<int64_t, N>& inner_step() const { return inner_step_; }
  // Offsets of every input at the first element of output row `row` (= flat / inner).
  std::array<int64_t, N> row_offsets(int64_t row) const;

 private:
  int64_t numel_ = 1;
  int64_t inner_ = 1;
  std::array<int64_t, N> inner_step_{};
  std::vector<int64_t> outer_dims_;                 // collapsed dims above the inner run
  std::vector<std::array<int64_t, N>> outer_strides_;  // per collapsed dim, per input
};

// Calls segment(out_offset, in_offsets, count) for contiguous pieces of the
// output, in parallel; inside a piece input k is at in_offsets[k] + i * inner_step()[k].
template <size_t N, class Segment>
void for_each_segment(const BroadcastPlan<N>& plan, int64_t grain, Segment&& segment) {
  const int64_t inner = plan.inner();
  parallel_chunks(plan.numel(), grain, [&](int64_t begin, int64_t end) {
    int64_t pos = begin;
    while (pos < end) {
      const int64_t row = pos / inner, col = pos % inner;
      const int64_t count = std::min(inner - col, end - pos);
      std::array<int64_t, N> offsets = plan.row_offsets(row);
      for (size_t k = 0; k < N; ++k) offsets[k] += col * plan.inner_step()[k];
      segment(pos, offsets, count);
      pos += count;
    }
  });
}

// out[i] = op(a[i], b[i]) with broadcasting; out must already have the broadcast shape.
// Each combination of inner steps gets its own loop so the compiler vectorises all four.
template <class A, class B, class O, class Op>
void broadcast_binary(const A* a, const Shape& a_shape, const B* b, const Shape& b_shape, O* out,
                      const Shape& out_shape, Op op, int64_t grain = kCheapGrain) {
  const BroadcastPlan<2> plan(out_shape, {a_shape, b_shape});
  // Plain variables, not a structured binding: clang 14 (the fuzz build) cannot
  // capture structured bindings in a lambda.
  const int64_t step_a = plan.inner_step()[0];
  const int64_t step_b = plan.inner_step()[1];
  for_each_segment(plan, grain, [&](int64_t o, const std::array<int64_t, 2>& in, int64_t n) {
    const A* pa = a + in[0];
    const B* pb = b + in[1];
    O* po = out + o;
    if (step_a && step_b) {
      for (int64_t i = 0; i < n; ++i) po[i] = op(pa[i], pb[i]);
    } else if (step_a) {
      const B vb = *pb;
      for (int64_t i = 0; i < n; ++i) po[i] = op(pa[i], vb);
    } else if (step_b) {
      const A va = *pa;
      for (int64_t i = 0; i < n; ++i) po[i] = op(va, pb[i]);
    } else {
      const O v = op(*pa, *pb);
      for (int64_t i = 0; i < n; ++i) po[i] = v;
    }
  });
}

// out[i] = op(a[i], b[i], c[i]) with broadcasting (Where, Clip with tensor bounds).
template <class A, class B, class C, class O, class Op>
void broadcast_ternary(const A* a, const Shape& a_shape, const B* b, const Shape& b_shape, const C* c,
                       const Shape& c_shape, O* out, const Shape& out_shape, Op op,
                       int64_t grain = kCheapGrain) {
  const BroadcastPlan<3> plan(out_shape, {a_shape, b_shape, c_shape});
  const int64_t sa = plan.inner_step()[0];
  const int64_t sb = plan.inner_step()[1];
  const int64_t sc = plan.inner_step()[2];
  for_each_segment(plan, grain, [&](int64_t o, const std::array<int64_t, 3>& in, int64_t n) {
    const A* pa = a + in[0];
    const B* pb = b + in[1];
    const C* pc = c + in[2];
    O* po = out + o;
    for (int64_t i = 0; i < n; ++i) po[i] = op(pa[i * sa], pb[i * sb], pc[i * sc]);
  });
}

// Copies `in` broadcast to `out_shape` into `out` (Expand, variadic ops' first operand).
template <class T>
void broadcast_copy(const T* in, const Shape& in_shape, T* out, const Shape& out_shape) {
  const BroadcastPlan<1> plan(out_shape, {in_shape});
  const int64_t step = plan.inner_step()[0];
  for_each_segment(plan, kCheapGrain, [&](int64_t o, const std::array<int64_t, 1>& off, int64_t n) {
    const T* p = in + off[0];
    T* po = out + o;
    if (step) {
      for (int64_t i = 0; i < n; ++i) po[i] = p[i];
    } else {
      for (int64_t i = 0; i < n; ++i) po[i] = *p;
    }
  });
}

extern template class BroadcastPlan<1>;
extern template class BroadcastPlan<2>;
extern template class BroadcastPlan<3>;

}  // namespace neuropipe::nn::ops
