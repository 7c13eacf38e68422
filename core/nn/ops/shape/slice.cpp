// Slice: a strided window per axis. Opsets 1-9 take starts/ends/axes as
// attributes, later ones as inputs plus optional steps (negative = reversed).
// Out-of-range starts and ends are clamped, as ONNX specifies, so
// ends = INT64_MAX means "to the end"; the copy reads through a strided view.
#include <algorithm>
#include <limits>

#include "nn/kernel.hpp"
#include "nn/ops/shape/axes.hpp"
#include "nn/ops/shape/element_width.hpp"
#include "nn/ops/shape/strided_copy.hpp"

namespace neuropipe::nn {
namespace {

struct AxisWindow {
  int64_t start = 0, step = 1, count = 0;
};

// Clamps [start, end) with `step` to a dimension of size `dim` (ONNX rules).
AxisWindow clamp_window(int64_t start, int64_t end, int64_t step, int64_t dim) {
  if (start < 0) start += dim;
  if (end < 0) end += dim;
  if (step > 0) {
    start = std::clamp<int64_t>(start, 0, dim);
    end = std::clamp<int64_t>(end, 0, dim);
    return {start, step, end > start ? (end - start + step - 1) / step : 0};
  }
  start = std::clamp<int64_t>(start, 0, dim - 1);
  end = std::clamp<int64_t>(end, -1, dim - 1);
  return {start, step, start > end ? (start - end - step - 1) / -step : 0};
}

// Adds dim to a negative bound without overflowing at INT64_MIN.
int64_t saturating_bound(int64_t v) { return std::max(v, std::numeric_limits<int64_t>::min() / 2); }

class Slice final : public Kernel {
 public:
  explicit Slice(const KernelBuildContext& b)
      : starts_attr_(b.attributes().get_ints("starts")),
        ends_attr_(b.attributes().get_ints("ends")),
        axes_attr_(b.attributes().get_ints("axes")),
        inputs_form_(b.opset() >= 10) {
    if (!inputs_form_ && (!b.attributes().has("starts") || !b.attributes().has("ends"))) {
      b.fail("attributes 'starts' and 'ends' are required before opset 10");
    }
  }

  void run(KernelContext& ctx) const override {
    const Tensor& data = *ctx.input(0);
    const auto optional = [&](size_t i) { return ctx.num_inputs() > i ? ctx.input(i) : nullptr; };
    const std::vector<int64_t> starts = inputs_form_ ? optional(1)->to_int64_vector() : starts_attr_;
    const std::vector<int64_t> ends = inputs_form_ ? optional(2)->to_int64_vector() : ends_attr_;
    std::vector<int64_t> axes = inputs_form_ && optional(3) ? optional(3)->to_int64_vector() : axes_attr_;
    std::vector<int64_t> steps =
        inputs_form_ && optional(4) ? optional(4)->to_int64_vector() : std::vector<int64_t>{};
    if (axes.empty()) {
      for (size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<int64_t>(i));
    }
    if (steps.empty()) steps.assign(starts.size(), 1);
    if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size()) {
      ctx.fail("starts, ends, axes and steps must have the same length");
    }
    const ops::StridedView view = window_view(ctx, data.shape(), starts, ends, axes, steps);
    Tensor& out = ctx.output(0, data.dtype(), view.shape);
    if (!ops::strided_copy(out.raw(), data.raw(), view, data.dtype())) {
      ctx.fail(ops::unsupported_movement_message(data.dtype()));
    }
  }

 private:
  static ops::StridedView window_view(const KernelContext& ctx, const Shape& in,
                                      const std::vector<int64_t>& starts, const std::vector<int64_t>& ends,
                                      const std::vector<int64_t>& axes, const std::vector<int64_t>& steps) {
    const auto fail = [&](const std::string& m) { ctx.fail(m); };
    const std::vector<int64_t> norm_axes =
        ops::normalize_axes(axes, static_cast<int64_t>(in.size()), "axes", fail);
    ops::StridedView view{in, ops::contiguous_strides(in), 0};
    for (size_t i = 0; i < norm_axes.size(); ++i) {
      const size_t a = static_cast<size_t>(norm_axes[i]);
      if (steps[i] == 0) ctx.fail("steps[" + std::to_string(i) + "] is 0");
      const AxisWindow w =
          clamp_window(saturating_bound(starts[i]), saturating_bound(ends[i]), steps[i], in[a]);
      view.shape[a] = w.count;
      if (w.count > 0) view.offset += w.start * view.strides[a];
      view.strides[a] *= w.step;
    }
    return view;
  }

  std::vector<int64_t> starts_attr_, ends_attr_, axes_attr_;
  bool inputs_form_;
};

NP_REGISTER_KERNEL("Slice", 1, 1000, [](const KernelBuildContext& b) { return std::make_unique<Slice>(b); });

}  // namespace
}  // namespace neuropipe::nn
