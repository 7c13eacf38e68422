// NonMaxSuppression: per batch and class, greedily keeps the highest-scoring
// boxes (score > score_threshold) that overlap no kept box by IoU >
// iou_threshold, at most max_output_boxes_per_class of them. Boxes are
// [y1, x1, y2, x2] in any corner order (center_point_box = 0) or
// [x_center, y_center, width, height] (= 1). Output rows are
// [batch, class, box], batch-major, then class, then selection order; equal
// scores go to the lower box index first.
#include <algorithm>
#include <array>
#include <numeric>

#include "nn/kernel.hpp"
#include "nn/ops/common/parallel.hpp"

namespace neuropipe::nn {
namespace {

struct Corners {
  float x1, y1, x2, y2;
  float area() const { return (x2 - x1) * (y2 - y1); }
};

Corners corners(const float* b, bool center_point) {
  if (center_point) {
    return {b[0] - b[2] / 2, b[1] - b[3] / 2, b[0] + b[2] / 2, b[1] + b[3] / 2};
  }
  return {std::min(b[1], b[3]), std::min(b[0], b[2]), std::max(b[1], b[3]), std::max(b[0], b[2])};
}

// IoU > threshold, with degenerate boxes never suppressing anything.
bool overlaps(const Corners& a, const Corners& b, float threshold) {
  const float ix1 = std::max(a.x1, b.x1), iy1 = std::max(a.y1, b.y1);
  const float ix2 = std::min(a.x2, b.x2), iy2 = std::min(a.y2, b.y2);
  if (ix2 <= ix1 || iy2 <= iy1) return false;
  const float inter = (ix2 - ix1) * (iy2 - iy1);
  const float area_a = a.area(), area_b = b.area();
  const float uni = area_a + area_b - inter;
  if (area_a <= 0 || area_b <= 0 || uni <= 0) return false;
  return inter / uni > threshold;
}

struct Thresholds {
  int64_t max_per_class = 0;
  float iou = 0.0f;
  bool has_score = false;
  float score = 0.0f;
};

class NonMaxSuppression final : public Kernel {
 public:
  explicit NonMaxSuppression(const KernelBuildContext& b)
      : center_point_(b.attributes().get_int("center_point_box", 0) != 0) {
    const int64_t mode = b.attributes().get_int("center_point_box", 0);
    if (mode != 0 && mode != 1) b.fail("center_point_box must be 0 or 1");
  }

  void run(KernelContext& ctx) const override {
    const Tensor& boxes = *ctx.input(0);
    const Tensor& scores = *ctx.input(1);
    if (boxes.dtype() != DType::f32 || scores.dtype() != DType::f32)
      ctx.fail("boxes and scores must be float32");
    if (boxes.rank() != 3 || boxes.dim(2) != 4)
      ctx.fail("boxes must be [batch, boxes, 4], got " + shape_to_string(boxes.shape()));
    if (scores.rank() != 3 || scores.dim(0) != boxes.dim(0) || scores.dim(2) != boxes.dim(1)) {
      ctx.fail("scores " + shape_to_string(scores.shape()) + " do not match boxes " +
               shape_to_string(boxes.shape()));
    }
    const Thresholds limits = thresholds(ctx);
    const int64_t batches = boxes.dim(0), classes = scores.dim(1);
    std::vector<std::vector<int64_t>> kept(static_cast<size_t>(batches * classes));
    ops::parallel_chunks(batches * classes, 1, [&](int64_t begin, int64_t end) {
      for (int64_t bc = begin; bc < end; ++bc) {
        const int64_t batch = bc / classes;
        kept[static_cast<size_t>(bc)] =
            select(boxes.data<float>() + batch * boxes.dim(1) * 4, scores.data<float>() + bc * boxes.dim(1),
                   boxes.dim(1), limits);
      }
    });
    int64_t total = 0;
    for (const auto& k : kept) total += static_cast<int64_t>(k.size());
    int64_t* out = ctx.output(0, DType::i64, {total, 3}).data<int64_t>();
    for (int64_t bc = 0; bc < batches * classes; ++bc) {
      for (int64_t box : kept[static_cast<size_t>(bc)]) {
        *out++ = bc / classes;
        *out++ = bc % classes;
        *out++ = box;
      }
    }
  }

 private:
  static Thresholds thresholds(const KernelContext& ctx) {
    const auto scalar = [&](size_t i) { return ctx.num_inputs() > i ? ctx.input(i) : nullptr; };
    Thresholds t;
    if (const Tensor* m = scalar(2); m && m->numel() > 0) t.max_per_class = m->to_int64_vector()[0];
    if (const Tensor* iou = scalar(3); iou && iou->numel() > 0) t.iou = iou->to(DType::f32).data<float>()[0];
    if (const Tensor* s = scalar(4); s && s->numel() > 0) {
      t.has_score = true;
      t.score = s->to(DType::f32).data<float>()[0];
    }
    if (t.iou < 0.0f || t.iou > 1.0f) ctx.fail("iou_threshold must be in [0, 1]");
    return t;
  }

  std::vector<int64_t> select(const float* boxes, const float* scores, int64_t n, const Thresholds& t) const {
    std::vector<int64_t> order;
    for (int64_t i = 0; i < n; ++i) {
      if (!t.has_score || scores[i] > t.score) order.push_back(i);
    }
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return scores[a] > scores[b]; });
    std::vector<int64_t> kept;
    std::vector<Corners> kept_boxes;
    for (int64_t i : order) {
      if (static_cast<int64_t>(kept.size()) >= t.max_per_class) break;
      const Corners c = corners(boxes + i * 4, center_point_);
      const bool suppressed = std::any_of(kept_boxes.begin(), kept_boxes.end(),
                                          [&](const Corners& k) { return overlaps(k, c, t.iou); });
      if (suppressed) continue;
      kept.push_back(i);
      kept_boxes.push_back(c);
    }
    return kept;
  }

  bool center_point_;
};

NP_REGISTER_KERNEL("NonMaxSuppression", 10, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<NonMaxSuppression>(b); });

}  // namespace
}  // namespace neuropipe::nn
