// Resize (opsets 10-18) and its shared front end with Upsample: works out the
// output size and per-dim scale from `scales` or `sizes` (opset 18: only on
// `axes`, optionally keeping the aspect ratio), then resizes with per-dim
// taps (resize_taps.hpp, resize_apply.hpp). Opset 10 behaves like Upsample:
// asymmetric coordinates, nearest rounding down when enlarging.
#include "nn/ops/resample/resize.hpp"

#include <cmath>
#include <cstring>

#include "nn/ops/common/dtype_dispatch.hpp"
#include "nn/ops/resample/resize_apply.hpp"
#include "nn/ops/shape/axes.hpp"

namespace neuropipe::nn::ops {

ResizeOptions parse_resize_options(const KernelBuildContext& b) {
  const Attributes& a = b.attributes();
  ResizeOptions o;
  if (!parse_resize_mode(a.get_string("mode", "nearest"), o.mode)) {
    b.fail("unknown mode '" + a.get_string("mode", "") + "' (expected nearest, linear or cubic)");
  }
  if (b.opset() < 11) {
    if (o.mode == ResizeMode::cubic) b.fail("mode cubic needs opset 11");
    o.coordinates = CoordinateMode::asymmetric;
    o.nearest = NearestMode::simple;
    return o;
  }
  const std::string ctm = a.get_string("coordinate_transformation_mode", "half_pixel");
  if (!parse_coordinate_mode(ctm, o.coordinates))
    b.fail("unknown coordinate_transformation_mode '" + ctm + "'");
  const std::string nm = a.get_string("nearest_mode", "round_prefer_floor");
  if (!parse_nearest_mode(nm, o.nearest)) b.fail("unknown nearest_mode '" + nm + "'");
  o.cubic_a = a.get_float("cubic_coeff_a", -0.75f);
  o.exclude_outside = a.get_int("exclude_outside", 0) != 0;
  o.extrapolation_value = a.get_float("extrapolation_value", 0.0f);
  if (a.get_int("antialias", 0) != 0) b.fail("antialias = 1 is not supported");
  return o;
}

void run_resize(KernelContext& ctx, const Tensor& x, const std::vector<AxisResize>& axes,
                const ResizeOptions& options) {
  Shape out_shape;
  std::vector<AxisTaps> taps;
  for (const AxisResize& a : axes) {
    if (a.out < 0) ctx.fail("output size is negative");
    if (a.in == 0 && a.out > 0) ctx.fail("cannot resize an empty dim to a non-empty one");
    out_shape.push_back(a.out);
    taps.push_back(compute_taps(a, options));
  }
  Tensor& out = ctx.output(0, x.dtype(), out_shape);
  if (out.numel() == 0) return;
  if (x.rank() == 0) ctx.fail("cannot resize a scalar");
  if (options.mode == ResizeMode::nearest) {
    std::vector<uint8_t> fill(dtype_size(x.dtype()), 0);
    visit_dtype(x.dtype(), AllTypes{}, [&](auto tag) {
      using T = typename decltype(tag)::type;
      const T v = convert<T>(options.extrapolation_value);
      std::memcpy(fill.data(), &v, sizeof(T));
    });
    if (x.dtype() == DType::string) ctx.fail("string tensors are not supported");
    resize_nearest(x, taps, fill.data(), out);
    return;
  }
  if (x.dtype() != DType::f32 && x.dtype() != DType::f64) ctx.fail("linear and cubic modes need float input");
  const Tensor in = x.dtype() == DType::f32 ? x : x.to(DType::f32);
  Tensor result = x.dtype() == DType::f32 ? out : Tensor::empty(DType::f32, out_shape);
  if (is_plane_bilinear(taps)) {
    resize_plane_bilinear(in, taps, result);
  } else {
    resize_weighted(in, taps, options.extrapolation_value, result);
  }
  if (x.dtype() != DType::f32) std::memcpy(out.raw(), result.to(x.dtype()).raw(), out.bytes());
}

}  // namespace neuropipe::nn::ops

namespace neuropipe::nn {
namespace {

using ops::AxisResize;

enum class AspectPolicy { stretch, not_larger, not_smaller };

class Resize final : public Kernel {
 public:
  explicit Resize(const KernelBuildContext& b)
      : options_(ops::parse_resize_options(b)),
        axes_attr_(b.attributes().get_ints("axes")),
        opset_(b.opset()) {
    const std::string policy = b.attributes().get_string("keep_aspect_ratio_policy", "stretch");
    if (policy == "not_larger")
      policy_ = AspectPolicy::not_larger;
    else if (policy == "not_smaller")
      policy_ = AspectPolicy::not_smaller;
    else if (policy != "stretch")
      b.fail("unknown keep_aspect_ratio_policy '" + policy + "'");
  }

  void run(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    const auto input = [&](size_t i) -> const Tensor* {
      const Tensor* t = ctx.num_inputs() > i ? ctx.input(i) : nullptr;
      return t && t->numel() > 0 ? t : nullptr;
    };
    // Opset 10: (X, scales); from 11: (X, roi, scales, sizes).
    const Tensor* roi = opset_ >= 11 ? input(1) : nullptr;
    const Tensor* scales = input(opset_ >= 11 ? 2 : 1);
    const Tensor* sizes = opset_ >= 11 ? input(3) : nullptr;
    if ((scales == nullptr) == (sizes == nullptr)) ctx.fail("exactly one of scales and sizes must be given");
    const std::vector<int64_t> axes = resized_axes(ctx, x.rank());
    std::vector<AxisResize> plan(x.rank());
    for (size_t d = 0; d < x.rank(); ++d) plan[d] = {x.dim(d), x.dim(d), 1.0, 0.0, 1.0};
    if (scales) {
      apply_scales(ctx, *scales, axes, plan);
    } else {
      apply_sizes(ctx, sizes->to_int64_vector(), axes, plan);
    }
    if (roi && options_.coordinates == ops::CoordinateMode::tf_crop_and_resize)
      apply_roi(ctx, *roi, axes, plan);
    ops::run_resize(ctx, x, plan, options_);
  }

 private:
  std::vector<int64_t> resized_axes(const KernelContext& ctx, size_t rank) const {
    std::vector<int64_t> axes;
    if (axes_attr_.empty()) {
      for (size_t d = 0; d < rank; ++d) axes.push_back(static_cast<int64_t>(d));
      return axes;
    }
    const auto fail = [&](const std::string& m) { ctx.fail(m); };
    return ops::normalize_axes(axes_attr_, static_cast<int64_t>(rank), "axes", fail);
  }

  static void apply_scales(const KernelContext& ctx, const Tensor& scales, const std::vector<int64_t>& axes,
                           std::vector<AxisResize>& plan) {
    const Tensor values = scales.to(DType::f32);
    if (values.numel() != static_cast<int64_t>(axes.size()))
      ctx.fail("scales must have one value per resized axis");
    for (size_t i = 0; i < axes.size(); ++i) {
      const double s = values.data<float>()[i];
      if (!(s > 0)) ctx.fail("scales[" + std::to_string(i) + "] must be positive");
      AxisResize& a = plan[static_cast<size_t>(axes[i])];
      a.scale = s;
      a.out = static_cast<int64_t>(std::floor(static_cast<double>(a.in) * s));
    }
  }

  void apply_sizes(const KernelContext& ctx, const std::vector<int64_t>& sizes,
                   const std::vector<int64_t>& axes, std::vector<AxisResize>& plan) const {
    if (sizes.size() != axes.size()) ctx.fail("sizes must have one value per resized axis");
    double common = policy_ == AspectPolicy::not_larger ? 1e300 : 0.0;
    for (size_t i = 0; i < axes.size(); ++i) {
      const double s =
          static_cast<double>(sizes[i]) / static_cast<double>(plan[static_cast<size_t>(axes[i])].in);
      common = policy_ == AspectPolicy::not_larger ? std::min(common, s) : std::max(common, s);
    }
    for (size_t i = 0; i < axes.size(); ++i) {
      AxisResize& a = plan[static_cast<size_t>(axes[i])];
      if (sizes[i] < 0) ctx.fail("sizes[" + std::to_string(i) + "] is negative");
      a.out = policy_ == AspectPolicy::stretch
                  ? sizes[i]
                  : static_cast<int64_t>(std::llround(common * static_cast<double>(a.in)));
      a.scale =
          policy_ == AspectPolicy::stretch ? static_cast<double>(a.out) / static_cast<double>(a.in) : common;
    }
  }

  static void apply_roi(const KernelContext& ctx, const Tensor& roi, const std::vector<int64_t>& axes,
                        std::vector<AxisResize>& plan) {
    const Tensor values = roi.to(DType::f64);
    const size_t n = axes.size();
    if (values.numel() != static_cast<int64_t>(2 * n))
      ctx.fail("roi must hold starts and ends of every resized axis");
    for (size_t i = 0; i < n; ++i) {
      plan[static_cast<size_t>(axes[i])].roi_start = values.data<double>()[i];
      plan[static_cast<size_t>(axes[i])].roi_end = values.data<double>()[i + n];
    }
  }

  ops::ResizeOptions options_;
  std::vector<int64_t> axes_attr_;
  int opset_;
  AspectPolicy policy_ = AspectPolicy::stretch;
};

NP_REGISTER_KERNEL("Resize", 10, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<Resize>(b); });

}  // namespace
}  // namespace neuropipe::nn
