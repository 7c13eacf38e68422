#pragma once
// GatherElements and ScatterElements pair every element of `indices` with the
// data element at the same position except along `axis`, where the index
// value is used instead. This walks those pairs in row-major order.
#include <cstdint>
#include <string>
#include <vector>

#include "neuropipe/nn/tensor.hpp"
#include "nn/ops/shape/axes.hpp"

namespace neuropipe::nn::ops {

// Calls visit(i, data_offset) for each flat position i of `index_shape`, where
// data_offset addresses `data_shape` at i's coordinates with coordinate `axis`
// replaced by index[i] (normalised; `fail` reports out-of-range ones).
template <class Fail, class Visit>
void walk_axis_indices(const Shape& data_shape, const Shape& index_shape, const std::vector<int64_t>& index,
                       size_t axis, Fail&& fail, Visit&& visit) {
  if (data_shape.size() != index_shape.size()) fail("indices rank differs from data rank");
  const std::vector<int64_t> strides = contiguous_strides(data_shape);
  const size_t rank = index_shape.size();
  std::vector<int64_t> coord(rank, 0);
  for (size_t d = 0; d < rank; ++d) {
    if (d != axis && index_shape[d] > data_shape[d])
      fail("indices shape exceeds data shape outside the axis");
  }
  for (size_t i = 0; i < index.size(); ++i) {
    int64_t offset = normalize_index(index[i], data_shape[axis], "indices", fail) * strides[axis];
    for (size_t d = 0; d < rank; ++d) {
      if (d != axis) offset += coord[d] * strides[d];
    }
    visit(i, offset);
    for (size_t d = rank; d-- > 0;) {  // advance the row-major coordinate
      if (++coord[d] < index_shape[d]) break;
      coord[d] = 0;
    }
  }
}

}  // namespace neuropipe::nn::ops
