#pragma once
// Where the elements of a reduction live. Dimensions of size 1 are dropped
// and neighbours of the same kind (reduced / kept) merged, which leaves three
// layouts that cover almost every model:
//   trailing: [outer, R]         each output reduces one contiguous run
//   middle:   [outer, R, inner]  each output row accumulates R rows of `inner`
//   general:  anything else      each output walks a table of R offsets
#include <cstdint>
#include <string>
#include <vector>

#include "neuropipe/nn/tensor.hpp"

namespace neuropipe::nn::ops {

// Axes made non-negative, checked against `rank`, sorted and de-duplicated.
// Throws neuropipe::Error naming the bad axis.
std::vector<int64_t> normalize_axes(std::vector<int64_t> axes, size_t rank);

// Shape after reducing `axes` (normalised): kept as 1 with keepdims, else removed.
Shape reduced_shape(const Shape& shape, const std::vector<int64_t>& axes, bool keepdims);

struct ReduceGeometry {
  enum class Layout { trailing, middle, general };
  Layout layout = Layout::trailing;
  int64_t outer = 1;   // outputs (trailing) or output rows (middle)
  int64_t reduced = 1; // elements folded into each output (R)
  int64_t inner = 1;   // middle: contiguous outputs per row
  // general: sizes and input strides of the kept dims (in output order), and the
  // offset of every reduced element relative to its output's first element.
  std::vector<int64_t> kept_dims, kept_strides, reduced_offsets;

  ReduceGeometry(const Shape& shape, const std::vector<int64_t>& axes);
  // general: offset in the input of output element `index`'s first element.
  int64_t base_offset(int64_t index) const;
};

// [outer, axis, inner] sizes of `shape` around one (normalised) axis, for
// ArgMax, CumSum and the losses.
struct AxisSplit {
  int64_t outer = 1, axis = 1, inner = 1;
};
AxisSplit split_at_axis(const Shape& shape, int64_t axis);

}  // namespace neuropipe::nn::ops
