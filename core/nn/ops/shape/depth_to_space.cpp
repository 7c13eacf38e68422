// DepthToSpace / SpaceToDepth: move blocks of channels into blocks of pixels
// and back. Each is a reshape to 6-D, a transpose and a reshape back, so the
// copy is one strided view of the input:
//   DepthToSpace DCR: [N, b, b, C', H, W] -> perm (0,3,4,1,5,2) -> [N, C', H*b, W*b]
//   DepthToSpace CRD: [N, C', b, b, H, W] -> perm (0,1,4,2,5,3) -> [N, C', H*b, W*b]
//   SpaceToDepth:     [N, C, H', b, W', b] -> perm (0,3,5,1,2,4) -> [N, C*b*b, H', W']
#include <array>

#include "nn/kernel.hpp"
#include "nn/ops/shape/axes.hpp"
#include "nn/ops/shape/element_width.hpp"
#include "nn/ops/shape/strided_copy.hpp"

namespace neuropipe::nn {
namespace {

// Copies `data` viewed as `shape6` and permuted by `perm` into a tensor of `out_shape`.
void permuted_copy(KernelContext& ctx, const Tensor& data, const Shape& shape6,
                   const std::array<size_t, 6>& perm, const Shape& out_shape) {
  const std::vector<int64_t> strides = ops::contiguous_strides(shape6);
  ops::StridedView view;
  for (size_t p : perm) {
    view.shape.push_back(shape6[p]);
    view.strides.push_back(strides[p]);
  }
  Tensor& out = ctx.output(0, data.dtype(), out_shape);
  if (!ops::strided_copy(out.raw(), data.raw(), view, data.dtype()))
    ctx.fail(ops::unsupported_movement_message(data.dtype()));
}

int64_t block_size(const KernelBuildContext& b) {
  const int64_t block = b.attributes().require_int("blocksize");
  if (block <= 0) b.fail("blocksize must be positive");
  return block;
}

void require_4d(const KernelContext& ctx, const Tensor& data) {
  if (data.rank() != 4) ctx.fail("input must be 4-D NCHW, got " + shape_to_string(data.shape()));
}

class DepthToSpace final : public Kernel {
 public:
  explicit DepthToSpace(const KernelBuildContext& b) : block_(block_size(b)) {
    const std::string mode = b.attributes().get_string("mode", "DCR");
    if (mode != "DCR" && mode != "CRD") b.fail("mode must be DCR or CRD, got '" + mode + "'");
    crd_ = mode == "CRD";
  }

  void run(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    require_4d(ctx, x);
    const int64_t n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3), b = block_;
    if (c % (b * b) != 0) ctx.fail("channels " + std::to_string(c) + " are not divisible by blocksize^2");
    const Shape out{n, c / (b * b), h * b, w * b};
    if (crd_) {
      permuted_copy(ctx, x, {n, c / (b * b), b, b, h, w}, {0, 1, 4, 2, 5, 3}, out);
    } else {
      permuted_copy(ctx, x, {n, b, b, c / (b * b), h, w}, {0, 3, 4, 1, 5, 2}, out);
    }
  }

 private:
  int64_t block_;
  bool crd_ = false;
};

class SpaceToDepth final : public Kernel {
 public:
  explicit SpaceToDepth(const KernelBuildContext& b) : block_(block_size(b)) {}

  void run(KernelContext& ctx) const override {
    const Tensor& x = *ctx.input(0);
    require_4d(ctx, x);
    const int64_t n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3), b = block_;
    if (h % b != 0 || w % b != 0)
      ctx.fail("height and width must be divisible by blocksize " + std::to_string(b));
    permuted_copy(ctx, x, {n, c, h / b, b, w / b, b}, {0, 3, 5, 1, 2, 4}, {n, c * b * b, h / b, w / b});
  }

 private:
  int64_t block_;
};

NP_REGISTER_KERNEL("DepthToSpace", 1, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<DepthToSpace>(b); });
NP_REGISTER_KERNEL("SpaceToDepth", 1, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<SpaceToDepth>(b); });

}  // namespace
}  // namespace neuropipe::nn
