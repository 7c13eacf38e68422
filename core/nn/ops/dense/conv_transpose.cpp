// ConvTranspose (opsets 1-18): groups, strides, dilations, pads, auto_pad,
// output_padding, output_shape, bias, fused activation.
//
// Per image and group, one GEMM turns every input pixel into a column of
// (output channel, kernel offset) contributions, W_g^T [M/g*k x C/g] * X_g
// [C/g x pixels]; col2im then adds the columns into the output, which starts
// as the bias. 1-D/2-D inputs go in bands of input rows whose columns fit
// kColumnBandBytes (a style network's 64->32 3x3 layer at 200x200 would need a
// 46 MB column matrix; a band stays in cache between the GEMM and col2im and
// keeps peak memory flat). Constant weights are packed (transposed) once at load.
#include <algorithm>
#include <memory>

#include "nn/kernels/gemm.hpp"
#include "nn/kernels/im2col.hpp"
#include "nn/ops/dense/dense_op_support.hpp"
#include "nn/ops/dense/spatial_attributes.hpp"

namespace neuropipe::nn::ops {

namespace {

using kernels::ConvGeometry;
using kernels::GemmMicroKernel;
using kernels::MatrixView;
using kernels::PackedA;

constexpr int64_t kColumnBandBytes = 2 << 20;

// W [C, M/group, k...]: for each group the transpose of its [C/group x M/group*k] block.
std::vector<PackedA> pack_weights(const GemmMicroKernel& kernel, const Tensor& w, int64_t group) {
  const int64_t c = w.dim(0) / group, cols = w.numel() / w.dim(0);
  std::vector<PackedA> packed;
  packed.reserve(static_cast<size_t>(group));
  for (int64_t g = 0; g < group; ++g)
    packed.emplace_back(kernel, cols, c, MatrixView{w.data<float>() + g * c * cols, 1, cols});
  return packed;
}

class ConvTranspose final : public Kernel {
 public:
  explicit ConvTranspose(const KernelBuildContext& b)
      : spatial_(SpatialAttributes::parse(b)),
        group_(b.attributes().get_int("group", 1)),
        output_padding_(b.attributes().get_ints("output_padding")),
        output_shape_(b.attributes().get_ints("output_shape")),
        activation_(kernels::fused_activation_from(b.attributes())),
        gemm_kernel_(kernels::best_gemm_micro_kernel()) {
    if (group_ < 1) b.fail("attribute group must be >= 1, got " + std::to_string(group_));
    if (const Tensor* w = b.constant_input(1)) {
      if (w->dtype() != DType::f32) b.fail("weights W must be float32");
      if (w->rank() < 3 || w->dim(0) % group_ != 0)
        b.fail("weights W " + shape_to_string(w->shape()) + " do not fit group=" + std::to_string(group_));
      constant_weights_ = *w;
      packed_weights_ = pack_weights(gemm_kernel_, *w, group_);
    }
  }

  void run(KernelContext& ctx) const override {
    const Tensor& x = float_input(ctx, 0, "X");
    const Tensor& w = constant_weights_.defined() ? constant_weights_ : float_input(ctx, 1, "W");
    const Tensor* bias = optional_float_input(ctx, 2, "B");
    check_shapes(ctx, x, w, bias);
    const int64_t out_channels = w.dim(1) * group_;
    const auto [out, pad_begin] = output_geometry(ctx, x, w);
    Shape y_shape{x.dim(0), out_channels};
    y_shape.insert(y_shape.end(), out.begin(), out.end());
    Tensor& y = ctx.output(0, DType::f32, y_shape);
    if (y.numel() == 0) return;
    // The matching forward convolution maps y (its input) to x (its output).
    const ConvGeometry g = kernels::make_conv_geometry(w.dim(1), out, dims_from(x.shape(), 2), kernel(w),
                                                       strides(ctx, x), dilations(ctx, x), pad_begin);
    std::vector<PackedA> packed_now;
    const std::vector<PackedA>* packed = &packed_weights_;
    if (!constant_weights_.defined()) {
      packed_now = pack_weights(gemm_kernel_, w, group_);
      packed = &packed_now;
    }
    const int64_t in_channels = x.dim(1) / group_, rows = g.patch_size(), pixels = g.out_plane();
    const int64_t band_rows = column_band_rows(g, rows);
    const int64_t band_pixels = std::min(pixels, band_rows * g.out[2] * g.out[0]);
    float* columns =
        static_cast<float*>(ctx.scratch(static_cast<size_t>(rows * band_pixels) * sizeof(float)));
    for (int64_t n = 0; n < x.dim(0); ++n) {
      for (int64_t grp = 0; grp < group_; ++grp) {
        const float* image = x.data<float>() + (n * x.dim(1) + grp * in_channels) * pixels;
        float* out_image = y.data<float>() + (n * out_channels + grp * g.channels) * g.in_plane();
        const float* b = bias ? bias->data<float>() + grp * g.channels : nullptr;
        fill_bias(g, b, out_image);
        for (int64_t r0 = 0; r0 < g.out[1]; r0 += band_rows) {
          const int64_t r1 = std::min(g.out[1], r0 + band_rows), first = r0 * g.out[2],
                        count = (r1 - r0) * g.out[2] * g.out[0];  // 3-D: one band, all depths
          kernels::gemm(
              gemm_kernel_, rows, count, in_channels, kernels::packed_a((*packed)[static_cast<size_t>(grp)]),
              kernels::view_b(MatrixView{image + first, pixels, 1}), kernels::plain_output(columns, count));
          ConvGeometry band = g;  // the forward conv whose output rows are input rows [r0, r1)
          band.out[1] = r1 - r0;
          band.pad_begin[1] = g.pad_begin[1] - r0 * g.stride[1];
          parallel_chunks(g.channels, 1, [&](int64_t begin, int64_t end) {
            kernels::col2im_add(columns, band, begin, end, out_image);
          });
        }
        apply_activation(g, out_image);
      }
    }
  }

 private:
  // Input rows per band: all of them for 3-D (rows of different depths are not
  // contiguous), else as many as fit kColumnBandBytes of columns (at least one).
  static int64_t column_band_rows(const ConvGeometry& g, int64_t column_rows) {
    if (g.out[0] != 1) return g.out[1];
    const int64_t row_bytes = column_rows * g.out[2] * static_cast<int64_t>(sizeof(float));
    return std::clamp<int64_t>(kColumnBandBytes / std::max<int64_t>(row_bytes, 1), 1, g.out[1]);
  }

  void fill_bias(const ConvGeometry& g, const float* bias, float* out_image) const {
    parallel_chunks(g.channels, 1, [&](int64_t begin, int64_t end) {
      for (int64_t c = begin; c < end; ++c)
        std::fill_n(out_image + c * g.in_plane(), g.in_plane(), bias ? bias[c] : 0.f);
    });
  }

  void apply_activation(const ConvGeometry& g, float* out_image) const {
    if (activation_.kind == kernels::Activation::Kind::none) return;
    parallel_chunks(g.channels, 1, [&](int64_t begin, int64_t end) {
      for (int64_t c = begin; c < end; ++c)
        kernels::apply_bias_activation(out_image + c * g.in_plane(), g.in_plane(), 0.f, activation_);
    });
  }

  void check_shapes(const KernelContext& ctx, const Tensor& x, const Tensor& w, const Tensor* bias) const {
    if (x.rank() < 3) ctx.fail("input X must be N x C x spatial..., got " + shape_to_string(x.shape()));
    if (w.rank() != x.rank() || w.dim(0) != x.dim(1) || x.dim(1) % group_ != 0)
      ctx.fail("W " + shape_to_string(w.shape()) + " does not fit X " + shape_to_string(x.shape()) +
               " with group=" + std::to_string(group_));
    if (!spatial_.kernel_shape.empty() && spatial_.kernel_shape != dims_from(w.shape(), 2))
      ctx.fail("attribute kernel_shape does not match W " + shape_to_string(w.shape()));
    if (bias && bias->numel() != w.dim(1) * group_)
      ctx.fail("bias B " + shape_to_string(bias->shape()) + " must have one value per output channel");
  }

  std::vector<int64_t> kernel(const Tensor& w) const { return dims_from(w.shape(), 2); }
  std::vector<int64_t> per_dim(const KernelContext& ctx, const std::vector<int64_t>& v, size_t rank,
                               int64_t def, const char* name) const {
    if (v.empty()) return std::vector<int64_t>(rank, def);
    if (v.size() != rank)
      ctx.fail(std::string("attribute ") + name + " needs " + std::to_string(rank) + " values");
    return v;
  }
  std::vector<int64_t> strides(const KernelContext& ctx, const Tensor& x) const {
    return per_dim(ctx, spatial_.strides, x.rank() - 2, 1, "strides");
  }
  std::vector<int64_t> dilations(const KernelContext& ctx, const Tensor& x) const {
    return per_dim(ctx, spatial_.dilations, x.rank() - 2, 1, "dilations");
  }

  // Output spatial size and leading padding, by the ONNX rules: output_shape
  // (when given) fixes the size and the padding follows; SAME_* aims at in*stride.
  std::pair<std::vector<int64_t>, std::vector<int64_t>> output_geometry(const KernelContext& ctx,
                                                                        const Tensor& x,
                                                                        const Tensor& w) const {
    const size_t rank = x.rank() - 2;
    const auto in = dims_from(x.shape(), 2), k = kernel(w), s = strides(ctx, x), d = dilations(ctx, x);
    const auto extra = per_dim(ctx, output_padding_, rank, 0, "output_padding");
    const auto pads = per_dim(ctx, spatial_.pads, 2 * rank, 0, "pads");
    std::vector<int64_t> wanted = output_shape_;
    if (wanted.size() == rank + 2) wanted.erase(wanted.begin(), wanted.begin() + 2);  // N and C given too
    if (!wanted.empty() && wanted.size() != rank)
      ctx.fail("attribute output_shape needs " + std::to_string(rank) + " values");
    std::vector<int64_t> out(rank), begin(rank);
    for (size_t i = 0; i < rank; ++i) {
      const int64_t full = s[i] * (in[i] - 1) + extra[i] + (k[i] - 1) * d[i] + 1;
      const bool same = spatial_.auto_pad == AutoPad::same_upper || spatial_.auto_pad == AutoPad::same_lower;
      if (!wanted.empty() || same) {
        out[i] = !wanted.empty() ? wanted[i] : in[i] * s[i];
        const int64_t total = std::max<int64_t>(0, full - out[i]);
        begin[i] = spatial_.auto_pad == AutoPad::same_lower ? total - total / 2 : total / 2;
      } else if (spatial_.auto_pad == AutoPad::valid) {
        out[i] = full;
        begin[i] = 0;
      } else {
        out[i] = full - pads[i] - pads[rank + i];
        begin[i] = pads[i];
      }
      if (out[i] <= 0)
        ctx.fail("output spatial dimension " + std::to_string(i) + " would be " + std::to_string(out[i]));
    }
    return {out, begin};
  }

  SpatialAttributes spatial_;
  int64_t group_;
  std::vector<int64_t> output_padding_, output_shape_;
  kernels::Activation activation_;
  const GemmMicroKernel& gemm_kernel_;
  Tensor constant_weights_;
  std::vector<PackedA> packed_weights_;
};

}  // namespace

NP_REGISTER_KERNEL("ConvTranspose", 1, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<ConvTranspose>(b); });

}  // namespace neuropipe::nn::ops
