#pragma once
// GatherND and ScatterND address data with index tuples: the last dim of
// `indices` (k) holds coordinates into the first k dims of data (after
// `batch_dims` leading dims that data and indices share), each selecting a
// slice of the remaining dims. This resolves every tuple to an element offset.
#include <cstdint>
#include <string>
#include <vector>

#include "neuropipe/nn/tensor.hpp"
#include "nn/ops/shape/axes.hpp"

namespace neuropipe::nn::ops {

struct NdIndexPlan {
  std::vector<int64_t> offsets;  // element offset into data of each tuple's slice
  int64_t slice = 1;             // elements per slice: prod(data dims after batch + k)
  Shape out_shape;               // indices dims but the last, then the slice dims
};

template <class Fail>
NdIndexPlan plan_nd_index(const Shape& data, const Shape& indices, const std::vector<int64_t>& index,
                          size_t batch_dims, Fail&& fail) {
  if (indices.empty()) fail("indices must have rank >= 1");
  const size_t k = static_cast<size_t>(indices.back());
  if (batch_dims >= indices.size() || batch_dims + k > data.size()) {
    fail("indices last dim " + std::to_string(k) + " with batch_dims " + std::to_string(batch_dims) +
         " does not fit data of rank " + std::to_string(data.size()));
  }
  for (size_t d = 0; d < batch_dims; ++d) {
    if (data[d] != indices[d]) fail("batch dims of data and indices differ");
  }
  const std::vector<int64_t> strides = contiguous_strides(data);
  NdIndexPlan plan;
  plan.slice = dims_product(data, batch_dims + k, data.size());
  plan.out_shape.assign(indices.begin(), indices.end() - 1);
  plan.out_shape.insert(plan.out_shape.end(), data.begin() + static_cast<int64_t>(batch_dims + k),
                        data.end());
  const int64_t tuples =
      k ? static_cast<int64_t>(index.size() / k) : shape_numel(Shape(indices.begin(), indices.end() - 1));
  const int64_t per_batch = tuples / std::max<int64_t>(1, dims_product(indices, 0, batch_dims));
  const int64_t batch_stride = dims_product(data, batch_dims, data.size());
  for (int64_t t = 0; t < tuples; ++t) {
    int64_t offset = (t / std::max<int64_t>(per_batch, 1)) * batch_stride;
    for (size_t j = 0; j < k; ++j) {
      const int64_t c =
          normalize_index(index[static_cast<size_t>(t) * k + j], data[batch_dims + j], "indices", fail);
      offset += c * strides[batch_dims + j];
    }
    plan.offsets.push_back(offset);
  }
  return plan;
}

}  // namespace neuropipe::nn::ops
