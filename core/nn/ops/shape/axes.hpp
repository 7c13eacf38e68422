#pragma once
// Axis and index arithmetic shared by the shape, indexing and resampling ops:
// ONNX lets axes and indices count from the end (-1 = last), so every op
// normalises them the same way and reports a bad one naming the field.
#include <cstdint>
#include <string>
#include <vector>

#include "neuropipe/error.hpp"
#include "neuropipe/nn/tensor.hpp"

namespace neuropipe::nn::ops {

// Maps `axis` in [-rank, rank) to [0, rank); `fail` reports anything else.
template <class Fail>
int64_t normalize_axis(int64_t axis, int64_t rank, const char* field, Fail&& fail) {
  if (axis < -rank || axis >= rank) {
    fail(std::string(field) + " " + std::to_string(axis) + " is out of range for rank " +
         std::to_string(rank));
  }
  return axis < 0 ? axis + rank : axis;
}

// Normalises a list of axes and rejects duplicates.
template <class Fail>
std::vector<int64_t> normalize_axes(const std::vector<int64_t>& axes, int64_t rank, const char* field,
                                    Fail&& fail) {
  std::vector<int64_t> out;
  std::vector<bool> seen(static_cast<size_t>(rank), false);
  for (int64_t a : axes) {
    const int64_t n = normalize_axis(a, rank, field, fail);
    if (seen[static_cast<size_t>(n)]) fail(std::string(field) + " repeats axis " + std::to_string(a));
    seen[static_cast<size_t>(n)] = true;
    out.push_back(n);
  }
  return out;
}

// An index into a dimension of size `dim`, negative counting from the end.
template <class Fail>
int64_t normalize_index(int64_t index, int64_t dim, const char* field, Fail&& fail) {
  if (index < -dim || index >= dim) {
    fail(std::string(field) + " value " + std::to_string(index) + " is out of range [" +
         std::to_string(-dim) + ", " + std::to_string(dim - 1) + "]");
  }
  return index < 0 ? index + dim : index;
}

// Row-major strides, in elements.
inline std::vector<int64_t> contiguous_strides(const Shape& shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (size_t i = shape.size(); i-- > 1;) strides[i - 1] = strides[i] * shape[i];
  return strides;
}

// Product of dims [begin, end).
inline int64_t dims_product(const Shape& shape, size_t begin, size_t end) {
  int64_t p = 1;
  for (size_t i = begin; i < end && i < shape.size(); ++i) p *= shape[i];
  return p;
}

}  // namespace neuropipe::nn::ops
