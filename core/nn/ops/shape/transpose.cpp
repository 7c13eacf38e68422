// Transpose: permutes dims (default: reversed). After merging dims that stay
// neighbours, a permutation that keeps the innermost dim in place is a copy
// of whole rows; any other (NCHW<->NHWC, matrix transposes) is a batched
// 2-D transpose done in cache-sized tiles so reads and writes both stay local.
#include <algorithm>
#include <numeric>

#include "nn/kernel.hpp"
#include "nn/ops/common/parallel.hpp"
#include "nn/ops/shape/axes.hpp"
#include "nn/ops/shape/element_width.hpp"
#include "nn/ops/shape/strided_copy.hpp"

namespace neuropipe::nn {
namespace {

constexpr int64_t kTile = 32;

// Offsets (source, destination) of the first element of outer block `block`;
// the two tiled dims `a` and `k` (the last) are skipped.
std::pair<int64_t, int64_t> outer_offsets(const ops::StridedView& v, const std::vector<int64_t>& dst_strides,
                                          size_t a, int64_t block) {
  int64_t src = v.offset, dst = 0;
  for (size_t d = v.shape.size() - 1; d-- > 0;) {
    if (d == a) continue;
    const int64_t i = block % v.shape[d];
    block /= v.shape[d];
    src += i * v.strides[d];
    dst += i * dst_strides[d];
  }
  return {src, dst};
}

// out[.., i, .., j] = in[i + j * stride_k] over tiles of the (a, last) plane.
template <class T>
void tiled_transpose(T* dst, const T* src, const ops::StridedView& v, size_t a) {
  const size_t k = v.shape.size() - 1;
  const int64_t na = v.shape[a], nk = v.shape[k], sk = v.strides[k];
  const std::vector<int64_t> dst_strides = ops::contiguous_strides(v.shape);
  const int64_t blocks = shape_numel(v.shape) / (na * nk);
  const int64_t tiles_a = (na + kTile - 1) / kTile;
  ops::parallel_chunks(blocks * tiles_a, ops::grain_for_cost(kTile * nk), [&](int64_t begin, int64_t end) {
    for (int64_t t = begin; t < end; ++t) {
      const auto [src_off, dst_off] = outer_offsets(v, dst_strides, a, t / tiles_a);
      const int64_t a0 = (t % tiles_a) * kTile, a1 = std::min(na, a0 + kTile);
      for (int64_t k0 = 0; k0 < nk; k0 += kTile) {
        const int64_t k1 = std::min(nk, k0 + kTile);
        for (int64_t i = a0; i < a1; ++i) {
          T* o = dst + dst_off + i * dst_strides[a];
          const T* s = src + src_off + i;
          for (int64_t j = k0; j < k1; ++j) o[j] = s[j * sk];
        }
      }
    }
  });
}

class Transpose final : public Kernel {
 public:
  explicit Transpose(const KernelBuildContext& b) : perm_(b.attributes().get_ints("perm")) {}

  void run(KernelContext& ctx) const override {
    const Tensor& data = *ctx.input(0);
    const std::vector<int64_t> perm = permutation(ctx, data.rank());
    const std::vector<int64_t> in_strides = ops::contiguous_strides(data.shape());
    ops::StridedView view;
    for (int64_t p : perm) {
      view.shape.push_back(data.dim(static_cast<size_t>(p)));
      view.strides.push_back(in_strides[static_cast<size_t>(p)]);
    }
    Tensor& out = ctx.output(0, data.dtype(), view.shape);
    if (out.numel() == 0) return;
    copy(ctx, data, out, ops::coalesce(view));
  }

 private:
  std::vector<int64_t> permutation(const KernelContext& ctx, size_t rank) const {
    std::vector<int64_t> perm = perm_;
    if (perm.empty()) {
      perm.resize(rank);
      std::iota(perm.rbegin(), perm.rend(), 0);
    }
    if (perm.size() != rank)
      ctx.fail("perm has " + std::to_string(perm.size()) + " entries for rank " + std::to_string(rank));
    std::vector<int64_t> sorted = perm;
    std::sort(sorted.begin(), sorted.end());
    for (size_t i = 0; i < rank; ++i) {
      if (sorted[i] != static_cast<int64_t>(i))
        ctx.fail("perm is not a permutation of 0.." + std::to_string(rank - 1));
    }
    return perm;
  }

  static void copy(KernelContext& ctx, const Tensor& data, Tensor& out, const ops::StridedView& v) {
    const auto unit = std::find(v.strides.begin(), v.strides.end(), 1);
    if (v.strides.back() == 1 || unit == v.strides.end()) {
      if (!ops::strided_copy(out.raw(), data.raw(), v, data.dtype())) {
        ctx.fail(ops::unsupported_movement_message(data.dtype()));
      }
      return;
    }
    const size_t a = static_cast<size_t>(unit - v.strides.begin());
    const bool ok = ops::visit_element_width(data.dtype(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      tiled_transpose(out.data<T>(), data.data<T>(), v, a);
    });
    if (!ok) ctx.fail(ops::unsupported_movement_message(data.dtype()));
  }

  std::vector<int64_t> perm_;
};

NP_REGISTER_KERNEL("Transpose", 1, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<Transpose>(b); });

}  // namespace
}  // namespace neuropipe::nn
