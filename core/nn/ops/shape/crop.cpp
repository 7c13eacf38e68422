// Crop (experimental, opset 1; used by the Johnson style-transfer models):
// cuts `border` = [left, top, right, bottom] off an NCHW image, or, with
// `scale` = [height, width], takes that size starting at (top, left).
#include "nn/kernel.hpp"
#include "nn/ops/shape/axes.hpp"
#include "nn/ops/shape/element_width.hpp"
#include "nn/ops/shape/strided_copy.hpp"

namespace neuropipe::nn {
namespace {

class Crop final : public Kernel {
 public:
  explicit Crop(const KernelBuildContext& b)
      : border_(b.attributes().require_ints("border")), scale_(b.attributes().get_ints("scale")) {
    if (border_.size() != 4) b.fail("attribute 'border' needs 4 values [left, top, right, bottom]");
    if (!scale_.empty() && scale_.size() != 2) b.fail("attribute 'scale' needs 2 values [height, width]");
    for (int64_t v : border_) {
      if (v < 0) b.fail("attribute 'border' has a negative value");
    }
  }

  void run(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    if (x.rank() != 4) ctx.fail("input must be 4-D NCHW, got " + shape_to_string(x.shape()));
    const int64_t left = border_[0], top = border_[1];
    const int64_t h = scale_.empty() ? x.dim(2) - top - border_[3] : scale_[0];
    const int64_t w = scale_.empty() ? x.dim(3) - left - border_[2] : scale_[1];
    if (h < 0 || w < 0 || top + h > x.dim(2) || left + w > x.dim(3)) {
      ctx.fail("crop window does not fit the input " + shape_to_string(x.shape()));
    }
    const std::vector<int64_t> strides = ops::contiguous_strides(x.shape());
    const ops::StridedView view{{x.dim(0), x.dim(1), h, w}, strides, top * strides[2] + left};
    Tensor& out = ctx.output(0, x.dtype(), view.shape);
    if (!ops::strided_copy(out.raw(), x.raw(), view, x.dtype()))
      ctx.fail(ops::unsupported_movement_message(x.dtype()));
  }

 private:
  std::vector<int64_t> border_, scale_;
};

NP_REGISTER_KERNEL("Crop", 1, 1000, [](const KernelBuildContext& b) { return std::make_unique<Crop>(b); });

}  // namespace
}  // namespace neuropipe::nn
