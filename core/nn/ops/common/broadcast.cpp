#include "nn/ops/common/broadcast.hpp"

#include <algorithm>

#include "neuropipe/error.hpp"

namespace neuropipe::nn::ops {

Shape broadcast_shape(const Shape& a, const Shape& b) {
  const size_t rank = std::max(a.size(), b.size());
  Shape out(rank);
  for (size_t i = 0; i < rank; ++i) {
    // Right-aligned: missing leading dimensions count as 1.
    const int64_t da = i + a.size() >= rank ? a[i + a.size() - rank] : 1;
    const int64_t db = i + b.size() >= rank ? b[i + b.size() - rank] : 1;
    if (da != db && da != 1 && db != 1)
      throw Error("shapes " + shape_to_string(a) + " and " + shape_to_string(b) + " do not broadcast");
    out[i] = da == 1 ? db : da;
  }
  return out;
}

Shape broadcast_shapes(std::span<const Shape> shapes) {
  Shape out;
  for (const Shape& s : shapes) out = broadcast_shape(out, s);
  return out;
}

std::vector<int64_t> broadcast_strides(const Shape& in, const Shape& out) {
  std::vector<int64_t> strides(out.size(), 0);
  int64_t stride = 1;
  for (size_t i = in.size(); i-- > 0;) {
    const size_t o = i + out.size() - in.size();
    strides[o] = in[i] == 1 && out[o] != 1 ? 0 : stride;
    // An empty tensor's other dims may be anything a file declares (found by tests/fuzz).
    if (__builtin_mul_overflow(stride, in[i], &stride))
      throw Error("shape " + shape_to_string(in) + " has too many elements to broadcast");
  }
  return strides;
}

template <size_t N>
BroadcastPlan<N>::BroadcastPlan(const Shape& out, const std::array<Shape, N>& inputs) {
  std::array<std::vector<int64_t>, N> strides;
  for (size_t k = 0; k < N; ++k) strides[k] = broadcast_strides(inputs[k], out);

  // Collapse: drop size-1 dims, merge a dim into the previous one when every
  // input steps through both as one (stride[prev] == stride[dim] * size[dim]).
  std::vector<int64_t> dims;
  std::vector<std::array<int64_t, N>> dim_strides;
  for (size_t d = 0; d < out.size(); ++d) {
    numel_ *= out[d];
    if (out[d] == 1) continue;
    std::array<int64_t, N> s;
    for (size_t k = 0; k < N; ++k) s[k] = strides[k][d];
    bool mergeable = !dims.empty();
    for (size_t k = 0; k < N && mergeable; ++k) mergeable = dim_strides.back()[k] == s[k] * out[d];
    if (mergeable) {
      dims.back() *= out[d];
      dim_strides.back() = s;
    } else {
      dims.push_back(out[d]);
      dim_strides.push_back(s);
    }
  }
  if (!dims.empty()) {
    inner_ = dims.back();
    inner_step_ = dim_strides.back();
    dims.pop_back();
    dim_strides.pop_back();
  }
  outer_dims_ = std::move(dims);
  outer_strides_ = std::move(dim_strides);
}

template <size_t N>
std::array<int64_t, N> BroadcastPlan<N>::row_offsets(int64_t row) const {
  std::array<int64_t, N> offsets{};
  for (size_t d = outer_dims_.size(); d-- > 0;) {
    const int64_t index = row % outer_dims_[d];
    row /= outer_dims_[d];
    for (size_t k = 0; k < N; ++k) offsets[k] += index * outer_strides_[d][k];
  }
  return offsets;
}

template class BroadcastPlan<1>;
template class BroadcastPlan<2>;
template class BroadcastPlan<3>;

}  // namespace neuropipe::nn::ops
