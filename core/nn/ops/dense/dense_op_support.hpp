#pragma once
// Small helpers the dense ops share: typed input access with errors that name
// the input, and shape slicing.
#include <string>
#include <vector>

#include "nn/kernel.hpp"
#include "nn/ops/common/parallel.hpp"

namespace neuropipe::nn::ops {

// Input i, present and float32, or ctx.fail naming it.
inline const Tensor& float_input(KernelContext& ctx, size_t i, const char* name) {
  const Tensor* t = i < ctx.num_inputs() ? ctx.input(i) : nullptr;
  if (!t) ctx.fail(std::string("missing required input ") + name);
  if (t->dtype() != DType::f32)
    ctx.fail(std::string("input ") + name + " has element type " + dtype_name(t->dtype()) +
             ", only float32 is supported");
  return *t;
}

// Optional float32 input i: nullptr when absent.
inline const Tensor* optional_float_input(KernelContext& ctx, size_t i, const char* name) {
  if (i >= ctx.num_inputs() || !ctx.input(i)) return nullptr;
  return &float_input(ctx, i, name);
}

// Output i, or nullptr when the node has fewer outputs. An output left out
// with "" still gets a tensor (the executor discards it), so callers need not care.
inline Tensor* optional_output(KernelContext& ctx, size_t i, DType dtype, const Shape& shape) {
  return i < ctx.num_outputs() ? &ctx.output(i, dtype, shape) : nullptr;
}

// Dimensions [from, rank) of a shape.
inline std::vector<int64_t> dims_from(const Shape& s, size_t from) {
  return from < s.size() ? std::vector<int64_t>(s.begin() + static_cast<long>(from), s.end())
                         : std::vector<int64_t>{};
}

// Product of dims [begin, end).
inline int64_t dims_product(const Shape& s, size_t begin, size_t end) {
  int64_t p = 1;
  for (size_t i = begin; i < end && i < s.size(); ++i) p *= s[i];
  return p;
}

// Normalises a possibly negative axis for a tensor of `rank`, or fails naming it.
template <class Ctx>
size_t normalize_axis(const Ctx& ctx, int64_t axis, size_t rank, const char* what = "axis") {
  const int64_t r = static_cast<int64_t>(rank);
  if (axis < -r || axis >= std::max<int64_t>(r, 1))
    ctx.fail(std::string("attribute ") + what + "=" + std::to_string(axis) + " is out of range for rank " +
             std::to_string(rank));
  return static_cast<size_t>(axis < 0 ? axis + r : axis);
}

}  // namespace neuropipe::nn::ops
