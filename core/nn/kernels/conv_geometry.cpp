#include "nn/kernels/conv_geometry.hpp"

#include <cstddef>

namespace neuropipe::nn::kernels {

bool ConvGeometry::is_pointwise() const {
  for (int d = 0; d < 3; ++d)
    if (kernel[d] != 1 || stride[d] != 1 || pad_begin[d] != 0 || in[d] != out[d]) return false;
  return true;
}

ConvGeometry make_conv_geometry(int64_t channels, const std::vector<int64_t>& in,
                                const std::vector<int64_t>& out, const std::vector<int64_t>& kernel,
                                const std::vector<int64_t>& stride, const std::vector<int64_t>& dilation,
                                const std::vector<int64_t>& pad_begin) {
  ConvGeometry g;
  g.channels = channels;
  const size_t shift = 3 - in.size();  // right-align: width is always the last dim
  for (size_t i = 0; i < in.size(); ++i) {
    g.in[shift + i] = in[i];
    g.out[shift + i] = out[i];
    g.kernel[shift + i] = kernel[i];
    g.stride[shift + i] = stride[i];
    g.dilation[shift + i] = dilation[i];
    g.pad_begin[shift + i] = pad_begin[i];
  }
  return g;
}

}  // namespace neuropipe::nn::kernels
