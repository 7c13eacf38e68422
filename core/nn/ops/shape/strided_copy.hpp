#pragma once
// The one copy loop behind Slice, Transpose, Expand, DepthToSpace, Crop...:
// every one of them reads the input through a strided view (per-dimension
// steps that may be 0 for broadcast or negative for reversed slices) and
// writes the output densely.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "neuropipe/nn/tensor.hpp"

namespace neuropipe::nn::ops {

// A strided view onto existing elements: element idx lives at
// offset + sum(idx[d] * strides[d]) (in elements) from the base pointer.
struct StridedView {
  Shape shape;
  std::vector<int64_t> strides;
  int64_t offset = 0;
};

// Drops size-1 dims and merges neighbours that are contiguous with each other,
// so the copy loop walks the fewest, longest rows.
StridedView coalesce(StridedView view);

// dst[i] = src[view(i)] for every i in row-major order of view.shape, for
// elements of `dtype`. Runs in parallel for big copies. False for strings.
bool strided_copy(void* dst, const void* src, const StridedView& view, DType dtype);

}  // namespace neuropipe::nn::ops
