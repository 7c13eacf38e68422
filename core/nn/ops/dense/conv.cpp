// Conv (opsets 1-18): 1-D/2-D/3-D, groups (depthwise included), strides,
// dilations, pads/auto_pad, bias, plus a fused activation a later pass may
// request through "_fused_activation" (see nn/kernels/activation.hpp) and a
// fused residual Add: with "_fused_add" = 1, input 3 (shaped like Y) is added
// after the bias and before the activation, Y = act(conv(X) + B + input3).
//
// Paths, chosen per call from the shapes:
//   depthwise (one input channel per group, 1-D/2-D): direct sliding kernel;
//   one group, constant weights, kernel > 1x1, 1-D/2-D, and 1-4 outputs or 1-4 inputs (<= 32
//     outputs): direct small-output kernel (conv_small_output.hpp; RGB heads and stems);
//   one group, 2-D, a small output plane known at load (7x7): the transposed,
//     pixel-major GEMM (conv_pixel_major.hpp; weights packed as its B instead);
//   pointwise (1x1, stride 1, no pad): GEMM straight on the NCHW image;
//   other 1-D/2-D: GEMM reading B in place from the zero-padded image (conv_shifted.hpp);
//   otherwise (3-D): GEMM with image patches packed into B panels (implicit im2col).
// Weights are packed into GEMM A panels once, at load, when they are constant.
// GEMM paths with several (image, group) items that share out evenly over the
// threads run whole items per thread; otherwise each GEMM splits its tiles.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <memory>
#include <optional>

#include "nn/kernels/conv_pixel_major.hpp"
#include "nn/kernels/conv_shifted.hpp"
#include "nn/kernels/conv_small_output.hpp"
#include "nn/kernels/depthwise_conv.hpp"
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

// Weights [M, C/group, k...] as one PackedA per group (M/group rows, K = C/group * k... columns).
std::vector<PackedA> pack_weights(const GemmMicroKernel& kernel, const Tensor& w, int64_t group) {
  const int64_t m = w.dim(0) / group, k = w.numel() / w.dim(0);
  std::vector<PackedA> packed;
  packed.reserve(static_cast<size_t>(group));
  for (int64_t g = 0; g < group; ++g)
    packed.emplace_back(kernel, m, k, MatrixView{w.data<float>() + g * m * k, k, 1});
  return packed;
}

class Conv final : public Kernel {
 public:
  explicit Conv(const KernelBuildContext& b)
      : spatial_(SpatialAttributes::parse(b)),
        group_(b.attributes().get_int("group", 1)),
        activation_(kernels::fused_activation_from(b.attributes())),
        fused_add_(b.attributes().get_int("_fused_add", 0) != 0),
        gemm_kernel_(kernels::best_gemm_micro_kernel()) {
    if (group_ < 1) b.fail("attribute group must be >= 1, got " + std::to_string(group_));
    if (const Tensor* w = b.constant_input(1)) {
      if (w->dtype() != DType::f32) b.fail("weights W must be float32");
      if (w->rank() < 3) b.fail("weights W must have rank >= 3, got " + shape_to_string(w->shape()));
      if (w->dim(0) % group_ != 0) b.fail("weights W: output channels not divisible by group");
      if (group_ == 1 && w->rank() <= 4 && w->numel() > 0 &&
          kernels::small_output_applies(w->dim(0), w->dim(1), w->numel() / (w->dim(0) * w->dim(1))))
        small_output_weights_ =
            kernels::pack_small_output_weights(w->data<float>(), w->dim(0), w->numel() / w->dim(0));
      if (small_output_weights_.empty() && pixel_major_pays(b, *w))
        pixel_major_weights_ = kernels::pack_pixel_major_weights(gemm_kernel_, w->data<float>(), w->dim(0),
                                                                 w->numel() / w->dim(0));
      else
        packed_weights_ = pack_weights(gemm_kernel_, *w, group_);
      // Only the depthwise path reads W itself; otherwise its shape is enough, and the
      // planner can free the raw weights (owns_constant_input).
      constant_weights_ = w->dim(1) == 1 ? *w : Tensor::view(DType::f32, w->shape(), nullptr);
    }
  }

  bool owns_constant_input(size_t i) const override {
    return i == 1 && has_packed_weights() && constant_weights_.raw() == nullptr;
  }

  void run(KernelContext& ctx) const override {
    const Tensor& x = float_input(ctx, 0, "X");
    const Tensor& w = has_packed_weights() ? constant_weights_ : float_input(ctx, 1, "W");
    const Tensor* bias = optional_float_input(ctx, 2, "B");
    check_shapes(ctx, x, w, bias);
    const SpatialPlan plan = plan_spatial(ctx, spatial_, dims_from(x.shape(), 2), dims_from(w.shape(), 2));
    Shape y_shape{x.dim(0), w.dim(0)};
    y_shape.insert(y_shape.end(), plan.out.begin(), plan.out.end());
    Tensor& y = ctx.output(0, DType::f32, y_shape);
    if (y.numel() == 0) return;
    const ConvGeometry g =
        kernels::make_conv_geometry(x.dim(1) / group_, dims_from(x.shape(), 2), plan.out, plan.kernel,
                                    plan.stride, plan.dilation, plan.pad_begin);
    const float* b = bias ? bias->data<float>() : nullptr;
    const float* skip = fused_add_ ? residual_input(ctx, y_shape) : nullptr;
    if (g.channels == 1 && group_ == x.dim(1) && x.rank() <= 4)
      run_depthwise(x, w, b, skip, g, y);
    else if (!small_output_weights_.empty() && x.rank() <= 4)
      run_small_output(x, w.dim(0), b, skip, g, y);
    else
      run_gemm(x, w, b, skip, g, y);
  }

 private:
  bool has_packed_weights() const { return !packed_weights_.empty() || pixel_major_weights_.has_value(); }

  // A 2-D, one-group conv whose output plane, known at load from the input's
  // static shape, is small enough for the pixel-major GEMM (conv_pixel_major.hpp).
  bool pixel_major_pays(const KernelBuildContext& b, const Tensor& w) const {
    const std::optional<Shape> x = b.input_type(0).shape;
    if (group_ != 1 || w.rank() != 4 || w.dim(1) < 2 || !x || x->size() != 4) return false;
    if ((!spatial_.strides.empty() && spatial_.strides.size() != 2) ||
        (!spatial_.dilations.empty() && spatial_.dilations.size() != 2) ||
        (!spatial_.pads.empty() && spatial_.pads.size() != 4))
      return false;  // run() reports the bad attribute
    int64_t plane = 1;
    for (size_t d = 0; d < 2; ++d) {
      const int64_t in = (*x)[d + 2], k = w.dim(static_cast<int64_t>(d) + 2);
      const int64_t s = spatial_.strides.empty() ? 1 : spatial_.strides[d];
      const int64_t dil = spatial_.dilations.empty() ? 1 : spatial_.dilations[d];
      const int64_t pads = spatial_.pads.empty() ? 0 : spatial_.pads[d] + spatial_.pads[d + 2];
      if (in <= 0) return false;
      const int64_t extent = (k - 1) * dil + 1;
      if (spatial_.auto_pad == AutoPad::same_upper || spatial_.auto_pad == AutoPad::same_lower)
        plane *= (in + s - 1) / s;
      else
        plane *= std::max<int64_t>(0, (in + (spatial_.auto_pad == AutoPad::valid ? 0 : pads) - extent) / s + 1);
    }
    return kernels::pixel_major_conv_pays(gemm_kernel_, w.dim(0), plane);
  }

  void check_shapes(const KernelContext& ctx, const Tensor& x, const Tensor& w, const Tensor* bias) const {
    if (x.rank() < 3) ctx.fail("input X must be N x C x spatial..., got " + shape_to_string(x.shape()));
    if (w.rank() != x.rank())
      ctx.fail("W " + shape_to_string(w.shape()) + " and X " + shape_to_string(x.shape()) +
               " differ in rank");
    if (w.dim(1) * group_ != x.dim(1) || w.dim(0) % group_ != 0)
      ctx.fail("W " + shape_to_string(w.shape()) + " does not fit X " + shape_to_string(x.shape()) +
               " with group=" + std::to_string(group_));
    if (!spatial_.kernel_shape.empty() && spatial_.kernel_shape != dims_from(w.shape(), 2))
      ctx.fail("attribute kernel_shape does not match W " + shape_to_string(w.shape()));
    if (bias && bias->numel() != w.dim(0))
      ctx.fail("bias B " + shape_to_string(bias->shape()) + " must have one value per output channel");
  }

  // The skip tensor of a fused Conv + Add: input 3, exactly Y's shape.
  const float* residual_input(KernelContext& ctx, const Shape& y_shape) const {
    const Tensor& skip = float_input(ctx, 3, "residual (input 3 of _fused_add)");
    if (skip.shape() != y_shape)
      ctx.fail("_fused_add residual " + shape_to_string(skip.shape()) + " must have the output shape " +
               shape_to_string(y_shape));
    return skip.data<float>();
  }

  void run_depthwise(const Tensor& x, const Tensor& w, const float* bias, const float* skip,
                     const ConvGeometry& g, Tensor& y) const {
    const int64_t channels = x.dim(1), out_channels = w.dim(0), multiplier = out_channels / channels;
    const int64_t ks = g.kernel_size();
    parallel_chunks(x.dim(0) * out_channels, 1, [&](int64_t begin, int64_t end) {
      for (int64_t plane = begin; plane < end; ++plane) {
        const int64_t n = plane / out_channels, m = plane % out_channels;
        kernels::depthwise_conv2d_plane(x.data<float>() + (n * channels + m / multiplier) * g.in_plane(),
                                        w.data<float>() + m * ks, bias ? bias[m] : 0.f, activation_, g,
                                        y.data<float>() + plane * g.out_plane(),
                                        skip ? skip + plane * g.out_plane() : nullptr);
      }
    });
  }

  // Output rows split between threads; each chunk restages its first rows, so
  // chunks span at least two kernel heights.
  void run_small_output(const Tensor& x, int64_t m, const float* bias, const float* skip,
                        const ConvGeometry& g, Tensor& y) const {
    const int64_t grain = std::max<int64_t>(2 * g.kernel[1], grain_for_cost(g.out[2] * g.patch_size() * m));
    for (int64_t batch = 0; batch < x.dim(0); ++batch) {
      const float* image = x.data<float>() + batch * x.dim(1) * g.in_plane();
      float* out = y.data<float>() + batch * m * g.out_plane();
      const float* residual = skip ? skip + batch * m * g.out_plane() : nullptr;
      parallel_chunks(g.out[1], grain, [&](int64_t begin, int64_t end) {
        kernels::conv_small_output_rows(image, small_output_weights_.data(), m, bias, activation_, g, begin,
                                        end, out, residual);
      });
    }
  }

  void run_gemm(const Tensor& x, const Tensor& w, const float* bias, const float* skip, const ConvGeometry& g,
                Tensor& y) const {
    std::vector<PackedA> packed_now;
    const std::vector<PackedA>* packed = &packed_weights_;
    if (!has_packed_weights()) {
      packed_now = pack_weights(gemm_kernel_, w, group_);
      packed = &packed_now;
    }
    const int64_t items = x.dim(0) * group_;
    if (!split_by_image(items)) {
      for (int64_t item = 0; item < items; ++item) run_gemm_item(x, w, *packed, bias, skip, g, y, item, true);
      return;
    }
    tbb::parallel_for(tbb::blocked_range<int64_t>(0, items, 1), [&](const tbb::blocked_range<int64_t>& r) {
      for (int64_t item = r.begin(); item < r.end(); ++item)
        run_gemm_item(x, w, *packed, bias, skip, g, y, item, false);
    });
  }

  // Whole (image, group) GEMMs per thread instead of each GEMM split across
  // threads, when the items share out evenly: no duplicated packing of B per
  // row group, no barrier per GEMM, and each thread keeps its image in its own
  // cache (ResNet-50 at batch 2 scaled 1.5x on 2 threads with the split GEMM).
  static bool split_by_image(int64_t items) {
    const int64_t threads = tbb::this_task_arena::max_concurrency();
    return threads > 1 && items >= threads && (items % threads == 0 || items >= 4 * threads);
  }

  // One image's group `item % group_` of image `item / group_`.
  void run_gemm_item(const Tensor& x, const Tensor& w, const std::vector<PackedA>& packed, const float* bias,
                     const float* skip, const ConvGeometry& g, Tensor& y, int64_t item, bool parallel) const {
    const int64_t batch = item / group_, grp = item % group_;
    const int64_t m = w.dim(0) / group_, n = g.out_plane(), k = g.patch_size();
    const float* image = x.data<float>() + (batch * x.dim(1) + grp * g.channels) * g.in_plane();
    float* out = y.data<float>() + (batch * w.dim(0) + grp * m) * n;
    const kernels::GemmC c{.data = out,
                           .ldc = n,
                           .row_bias = bias ? bias + grp * m : nullptr,
                           .activation = activation_,
                           .residual = skip ? skip + (out - y.data<float>()) : nullptr};
    if (pixel_major_weights_)
      return kernels::conv_pixel_major(gemm_kernel_, *pixel_major_weights_, image, g, c, parallel);
    const PackedA& weights = packed[static_cast<size_t>(grp)];
    if (!g.is_pointwise() && kernels::shifted_conv_applies(g))
      return kernels::conv_shifted(gemm_kernel_, weights, image, g, c, parallel);
    const kernels::BPanelPacker patches = [&](int64_t k0, int64_t kc, int64_t n0, int64_t nc, int nr, float* dst) {
      kernels::pack_im2col_panels(image, g, k0, kc, n0, nc, nr, dst);
    };
    kernels::GemmB b;
    if (g.is_pointwise())
      b.view = MatrixView{image, n, 1};
    else
      b.packer = &patches;
    kernels::gemm(gemm_kernel_, m, n, k, kernels::packed_a(weights), b, c, parallel);
  }

  SpatialAttributes spatial_;
  int64_t group_;
  kernels::Activation activation_;
  bool fused_add_;  // "_fused_add": input 3 is a residual added before the activation
  const GemmMicroKernel& gemm_kernel_;
  Tensor constant_weights_;              // W when it is an initializer (shape only unless depthwise-capable)
  std::vector<PackedA> packed_weights_;  // its GEMM panels, one per group
  std::optional<kernels::PackedB> pixel_major_weights_;  // or W^T, for small output planes (then no panels above)
  std::vector<float> small_output_weights_;  // tap-major copy for the small-output kernel (<= 4 outputs)
};

}  // namespace

NP_REGISTER_KERNEL("Conv", 1, 1000, [](const KernelBuildContext& b) { return std::make_unique<Conv>(b); });

}  // namespace neuropipe::nn::ops
