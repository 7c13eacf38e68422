#include "nn/ops/shape/strided_copy.hpp"

#include <cstring>

#include "nn/ops/common/parallel.hpp"
#include "nn/ops/shape/element_width.hpp"

namespace neuropipe::nn::ops {

StridedView coalesce(StridedView view) {
  StridedView out;
  out.offset = view.offset;
  for (size_t d = 0; d < view.shape.size(); ++d) {
    if (view.shape[d] == 1) continue;
    const bool merges = !out.shape.empty() && out.strides.back() == view.strides[d] * view.shape[d];
    if (merges) {
      out.shape.back() *= view.shape[d];
      out.strides.back() = view.strides[d];
    } else {
      out.shape.push_back(view.shape[d]);
      out.strides.push_back(view.strides[d]);
    }
  }
  if (out.shape.empty()) {  // a single element (or every dim 1)
    out.shape.push_back(1);
    out.strides.push_back(1);
  }
  return out;
}

namespace {

// Offset of the first element of output row `row` (rows = all dims but the last).
int64_t row_offset(const StridedView& v, int64_t row) {
  int64_t off = v.offset;
  for (size_t d = v.shape.size() - 1; d-- > 0;) {
    off += (row % v.shape[d]) * v.strides[d];
    row /= v.shape[d];
  }
  return off;
}

template <class T>
void copy_rows(T* dst, const T* src, const StridedView& v) {
  const int64_t inner = v.shape.back();
  const int64_t step = v.strides.back();
  const int64_t rows = shape_numel(v.shape) / inner;
  parallel_chunks(rows, grain_for_cost(inner), [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      const T* s = src + row_offset(v, r);
      T* o = dst + r * inner;
      if (step == 1) {
        std::memcpy(o, s, static_cast<size_t>(inner) * sizeof(T));
      } else {
        for (int64_t i = 0; i < inner; ++i) o[i] = s[i * step];
      }
    }
  });
}

}  // namespace

bool strided_copy(void* dst, const void* src, const StridedView& view, DType dtype) {
  if (dtype == DType::string) return false;
  if (shape_numel(view.shape) == 0) return true;
  const StridedView v = coalesce(view);
  return visit_element_width(dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    copy_rows(static_cast<T*>(dst), static_cast<const T*>(src), v);
  });
}

}  // namespace neuropipe::nn::ops
