#include "nn/ops/resample/resize_apply.hpp"

#include <algorithm>
#include <cstring>

#include "nn/ops/common/parallel.hpp"
#include "nn/ops/shape/axes.hpp"
#include "nn/ops/shape/element_width.hpp"

namespace neuropipe::nn::ops {
namespace {

template <class T>
void gather_nearest(const T* src, const Shape& in, const std::vector<AxisTaps>& taps, T fill, T* dst,
                    const Shape& out) {
  const size_t rank = in.size();
  const std::vector<int64_t> strides = contiguous_strides(in);
  const int64_t inner = out[rank - 1];
  const AxisTaps& cols = taps[rank - 1];
  parallel_chunks(shape_numel(out) / inner, grain_for_cost(inner), [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      int64_t rest = r, offset = 0;
      bool outside = false;
      for (size_t d = rank - 1; d-- > 0;) {
        const int64_t i = rest % out[d];
        rest /= out[d];
        offset += taps[d].index[static_cast<size_t>(i)] * strides[d];
        outside = outside || taps[d].outside[static_cast<size_t>(i)];
      }
      T* o = dst + r * inner;
      const T* row = src + offset;
      for (int64_t j = 0; j < inner; ++j) {
        o[j] =
            outside || cols.outside[static_cast<size_t>(j)] ? fill : row[cols.index[static_cast<size_t>(j)]];
      }
    }
  });
}

// One weighted pass along dim `d`: shape `in` -> `in` with dim d = out_d.
void weighted_pass(const float* src, const Shape& in, size_t d, const AxisTaps& t, float extrapolation,
                   float* dst) {
  const int64_t outer = dims_product(in, 0, d), in_d = in[d], inner = dims_product(in, d + 1, in.size());
  const int64_t out_d = static_cast<int64_t>(t.outside.size()), n = t.per_output;
  parallel_chunks(outer * out_d, grain_for_cost(inner * n), [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      const int64_t o = r / out_d, j = r % out_d;
      float* row = dst + r * inner;
      if (t.outside[static_cast<size_t>(j)]) {
        std::fill(row, row + inner, extrapolation);
        continue;
      }
      std::fill(row, row + inner, 0.0f);
      for (int64_t k = 0; k < n; ++k) {
        const float w = t.weight[static_cast<size_t>(j * n + k)];
        const float* s = src + (o * in_d + t.index[static_cast<size_t>(j * n + k)]) * inner;
        for (int64_t i = 0; i < inner; ++i) row[i] += w * s[i];
      }
    }
  });
}

}  // namespace

void resize_nearest(const Tensor& in, const std::vector<AxisTaps>& taps, const void* fill, Tensor& out) {
  if (out.numel() == 0) return;
  visit_element_width(in.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    T fill_value;
    std::memcpy(&fill_value, fill, sizeof(T));
    gather_nearest(in.data<T>(), in.shape(), taps, fill_value, out.data<T>(), out.shape());
  });
}

void resize_weighted(const Tensor& in, const std::vector<AxisTaps>& taps, float extrapolation, Tensor& out) {
  if (out.numel() == 0) return;
  Shape shape = in.shape();
  Tensor current = in;
  for (size_t d = shape.size(); d-- > 0;) {
    if (taps[d].identity) continue;
    Shape next = shape;
    next[d] = static_cast<int64_t>(taps[d].outside.size());
    Tensor result = Tensor::empty(DType::f32, next);
    weighted_pass(current.data<float>(), shape, d, taps[d], extrapolation, result.data<float>());
    current = result;
    shape = next;
  }
  std::memcpy(out.raw(), current.raw(), out.bytes());
}

bool is_plane_bilinear(const std::vector<AxisTaps>& taps) {
  const size_t rank = taps.size();
  if (rank != 4 || !taps[0].identity || !taps[1].identity) return false;
  return taps[2].per_output == 2 && taps[3].per_output == 2 && !taps[2].any_outside && !taps[3].any_outside;
}

void resize_plane_bilinear(const Tensor& in, const std::vector<AxisTaps>& taps, Tensor& out) {
  const int64_t planes = in.dim(0) * in.dim(1), in_h = in.dim(2), in_w = in.dim(3);
  const int64_t out_h = out.dim(2), out_w = out.dim(3);
  const AxisTaps& ty = taps[2];
  const AxisTaps& tx = taps[3];
  const float* src = in.data<float>();
  float* dst = out.data<float>();
  parallel_chunks(planes * out_h, grain_for_cost(out_w * 6), [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      const int64_t plane = r / out_h, y = r % out_h;
      const float* row0 = src + (plane * in_h + ty.index[static_cast<size_t>(2 * y)]) * in_w;
      const float* row1 = src + (plane * in_h + ty.index[static_cast<size_t>(2 * y + 1)]) * in_w;
      const float wy0 = ty.weight[static_cast<size_t>(2 * y)],
                  wy1 = ty.weight[static_cast<size_t>(2 * y + 1)];
      float* o = dst + r * out_w;
      for (int64_t x = 0; x < out_w; ++x) {
        const int64_t x0 = tx.index[static_cast<size_t>(2 * x)],
                      x1 = tx.index[static_cast<size_t>(2 * x + 1)];
        const float wx0 = tx.weight[static_cast<size_t>(2 * x)],
                    wx1 = tx.weight[static_cast<size_t>(2 * x + 1)];
        o[x] = wy0 * (wx0 * row0[x0] + wx1 * row0[x1]) + wy1 * (wx0 * row1[x0] + wx1 * row1[x1]);
      }
    }
  });
}

}  // namespace neuropipe::nn::ops
