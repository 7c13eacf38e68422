#include "nn/ops/reduce/reduce_geometry.hpp"

#include <algorithm>

#include "neuropipe/error.hpp"

namespace neuropipe::nn::ops {

std::vector<int64_t> normalize_axes(std::vector<int64_t> axes, size_t rank) {
  const auto r = static_cast<int64_t>(rank);
  for (int64_t& a : axes) {
    if (a < -r || a >= r)
      throw Error("axis " + std::to_string(a) + " is out of range for rank " + std::to_string(rank));
    if (a < 0) a += r;
  }
  std::sort(axes.begin(), axes.end());
  axes.erase(std::unique(axes.begin(), axes.end()), axes.end());
  return axes;
}

Shape reduced_shape(const Shape& shape, const std::vector<int64_t>& axes, bool keepdims) {
  Shape out;
  for (size_t d = 0; d < shape.size(); ++d) {
    const bool reduced = std::binary_search(axes.begin(), axes.end(), static_cast<int64_t>(d));
    if (!reduced) out.push_back(shape[d]);
    else if (keepdims) out.push_back(1);
  }
  return out;
}

namespace {

struct Group {
  int64_t size;
  int64_t stride;  // input stride of the group's last (fastest) dim
  bool reduced;
};

// Drops size-1 dims and merges contiguous neighbours of the same kind.
std::vector<Group> collapse(const Shape& shape, const std::vector<int64_t>& axes) {
  std::vector<Group> groups;
  int64_t stride = 1;
  for (size_t d = shape.size(); d-- > 0;) {
    const bool reduced = std::binary_search(axes.begin(), axes.end(), static_cast<int64_t>(d));
    if (shape[d] != 1) {
      if (!groups.empty() && groups.back().reduced == reduced) {
        groups.back().size *= shape[d];
      } else {
        groups.push_back({shape[d], stride, reduced});
      }
    }
    stride *= shape[d];
  }
  std::reverse(groups.begin(), groups.end());
  return groups;
}

}  // namespace

ReduceGeometry::ReduceGeometry(const Shape& shape, const std::vector<int64_t>& axes) {
  for (size_t d = 0; d < shape.size(); ++d) {
    if (std::binary_search(axes.begin(), axes.end(), static_cast<int64_t>(d))) reduced *= shape[d];
    else outer *= shape[d];
  }
  const std::vector<Group> groups = collapse(shape, axes);
  const size_t n = groups.size();
  const int reduced_groups = static_cast<int>(std::count_if(groups.begin(), groups.end(), [](const Group& g) {
    return g.reduced;
  }));
  if (reduced_groups == 0 || (reduced_groups == 1 && groups.back().reduced)) {
    layout = Layout::trailing;
  } else if (reduced_groups == 1 && !groups.back().reduced && (n == 2 || (n == 3 && groups[1].reduced))) {
    layout = Layout::middle;
    inner = groups.back().size;
    outer /= inner;
  } else {
    layout = Layout::general;
    for (const Group& g : groups) {
      if (g.reduced) continue;
      kept_dims.push_back(g.size);
      kept_strides.push_back(g.stride);
    }
    reduced_offsets.assign(1, 0);
    for (const Group& g : groups) {
      if (!g.reduced) continue;
      std::vector<int64_t> next;
      next.reserve(reduced_offsets.size() * g.size);
      for (int64_t base : reduced_offsets)
        for (int64_t i = 0; i < g.size; ++i) next.push_back(base + i * g.stride);
      reduced_offsets = std::move(next);
    }
  }
}

int64_t ReduceGeometry::base_offset(int64_t index) const {
  int64_t offset = 0;
  for (size_t d = kept_dims.size(); d-- > 0;) {
    offset += (index % kept_dims[d]) * kept_strides[d];
    index /= kept_dims[d];
  }
  return offset;
}

AxisSplit split_at_axis(const Shape& shape, int64_t axis) {
  AxisSplit s;
  for (int64_t d = 0; d < static_cast<int64_t>(shape.size()); ++d) {
    if (d < axis) s.outer *= shape[d];
    else if (d == axis) s.axis = shape[d];
    else s.inner *= shape[d];
  }
  return s;
}

}  // namespace neuropipe::nn::ops
