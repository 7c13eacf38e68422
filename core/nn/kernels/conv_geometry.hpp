#pragma once
// The shape of one convolution group, with 1-D and 2-D convolutions lifted to
// 3-D (leading size-1 dims, zero pads) so every conv kernel has one code path.
#include <array>
#include <cstdint>
#include <vector>

namespace neuropipe::nn::kernels {

struct ConvGeometry {
  using Dims = std::array<int64_t, 3>;  // depth, height, width
  int64_t channels = 1;                 // input channels of one group
  Dims in{1, 1, 1}, out{1, 1, 1}, kernel{1, 1, 1}, stride{1, 1, 1}, dilation{1, 1, 1}, pad_begin{0, 0, 0};

  int64_t in_plane() const { return in[0] * in[1] * in[2]; }
  int64_t out_plane() const { return out[0] * out[1] * out[2]; }
  int64_t kernel_size() const { return kernel[0] * kernel[1] * kernel[2]; }
  // Rows of the im2col matrix = the GEMM's K.
  int64_t patch_size() const { return channels * kernel_size(); }
  // A 1x1 kernel that visits every pixel once: the image itself is the GEMM's B.
  bool is_pointwise() const;
};

// Spatial vectors of rank 1..3 (ONNX order) into the 3-D form above.
ConvGeometry make_conv_geometry(int64_t channels, const std::vector<int64_t>& in,
                                const std::vector<int64_t>& out, const std::vector<int64_t>& kernel,
                                const std::vector<int64_t>& stride, const std::vector<int64_t>& dilation,
                                const std::vector<int64_t>& pad_begin);

}  // namespace neuropipe::nn::kernels
