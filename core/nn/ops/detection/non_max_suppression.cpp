// NonMaxSuppression: per batch and class, greedily keeps the highest-scoring
// boxes (score > score_threshold) that overlap no kept box by IoU >
// iou_threshold, at most max_output_boxes_per_class of them. Boxes are
// [y1, x1, y2, x2] in any corner order (center_point_box = 0) or
// [x_center, y_center, width, height] (= 1). Output rows are
// [batch, class, box], batch-major, then class, then selection order; equal
// scores go to the lower box index first.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

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

// The score-sorted candidates that can take part in suppression, kept as
// arrays sorted by x1 so that one kept box is tested only against the
// candidates whose x-range can reach it (torchvision shifts each class/level
// to its own coordinate range, so this is a small window of thousands).
// A box with x2 <= x1, y2 <= y1, area <= 0 or any NaN never suppresses and is
// never suppressed (IoU test below), so it is left out and always kept.
class SuppressionIndex {
 public:
  SuppressionIndex(const float* boxes, const std::vector<int64_t>& order, bool center_point)
      : slot_(order.size(), -1) {
    std::vector<Corners> sorted(order.size());
    std::vector<int32_t> members;
    for (size_t r = 0; r < order.size(); ++r) {
      sorted[r] = corners(boxes + order[r] * 4, center_point);
      const Corners& c = sorted[r];
      if (c.x2 > c.x1 && c.y2 > c.y1 && c.area() > 0) members.push_back(static_cast<int32_t>(r));
    }
    std::stable_sort(members.begin(), members.end(),
                     [&](int32_t a, int32_t b) { return sorted[a].x1 < sorted[b].x1; });
    for (auto* v : {&x1_, &y1_, &x2_, &y2_, &area_}) v->resize(members.size());
    alive_.assign(members.size(), 1);
    for (size_t k = 0; k < members.size(); ++k) {
      const Corners& c = sorted[static_cast<size_t>(members[k])];
      x1_[k] = c.x1, y1_[k] = c.y1, x2_[k] = c.x2, y2_[k] = c.y2, area_[k] = c.area();
      max_width_ = std::max(max_width_, c.x2 - c.x1);
      slot_[static_cast<size_t>(members[k])] = static_cast<int32_t>(k);
    }
  }

  // False once a kept box suppressed the candidate of score rank `rank`.
  bool alive(size_t rank) const { return slot_[rank] < 0 || alive_[static_cast<size_t>(slot_[rank])] != 0; }

  // Clears every candidate whose IoU with the box of rank `rank` is >
  // threshold (already kept or suppressed ones are past and do not matter).
  void suppress_by(size_t rank, float threshold) {
    if (slot_[rank] < 0) return;
    const size_t k = static_cast<size_t>(slot_[rank]);
    // Overlap needs x1 < kept x2 and x2 > kept x1, i.e. x1 > kept x1 - width;
    // the margin covers float rounding of widths (it only widens the window).
    const float reach = x1_[k] - (max_width_ * 1.001f + std::abs(x1_[k]) * 1e-5f + 1e-30f);
    const size_t lo = static_cast<size_t>(std::lower_bound(x1_.begin(), x1_.end(), reach) - x1_.begin());
    const size_t hi = static_cast<size_t>(std::lower_bound(x1_.begin(), x1_.end(), x2_[k]) - x1_.begin());
    clear_overlapping(k, lo, hi, threshold);
  }

 private:
  // IoU > threshold of box k against boxes [lo, hi), branch-free so it
  // vectorises. The operations and operand order are those of the original
  // scalar test: intersection corners std::max(kept, candidate) and
  // std::min(kept, candidate) spelt a < b ? b : a and b < a ? b : a; no
  // intersection, area <= 0 or union <= 0 never suppress.
  void clear_overlapping(size_t k, size_t lo, size_t hi, float threshold) {
    const float ax1 = x1_[k], ay1 = y1_[k], ax2 = x2_[k], ay2 = y2_[k], area_a = area_[k];
    const float* __restrict bx1 = x1_.data();
    const float* __restrict by1 = y1_.data();
    const float* __restrict bx2 = x2_.data();
    const float* __restrict by2 = y2_.data();
    const float* __restrict barea = area_.data();
    int32_t* __restrict live = alive_.data();
    for (size_t j = lo; j < hi; ++j) {
      const float ix1 = ax1 < bx1[j] ? bx1[j] : ax1, iy1 = ay1 < by1[j] ? by1[j] : ay1;
      const float ix2 = bx2[j] < ax2 ? bx2[j] : ax2, iy2 = by2[j] < ay2 ? by2[j] : ay2;
      const float inter = (ix2 - ix1) * (iy2 - iy1);
      const float uni = area_a + barea[j] - inter;
      const bool hit = !(ix2 <= ix1) & !(iy2 <= iy1) & !(area_a <= 0) & !(barea[j] <= 0) & !(uni <= 0) &
                       (inter / uni > threshold);
      live[j] &= hit ? 0 : 1;
    }
  }

  std::vector<float> x1_, y1_, x2_, y2_, area_;  // sorted by x1
  std::vector<int32_t> alive_;                   // 0 once suppressed; int32 to match the float lanes
  std::vector<int32_t> slot_;                    // score rank -> position above, -1 if left out
  float max_width_ = 0.0f;
};

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

  // Greedy selection over the candidates sorted once by score. Each kept box
  // clears every candidate it overlaps: the same (kept, later candidate) pairs
  // and roles (kept box first) that scanning each candidate against all kept
  // boxes tests, so the result is the same, but each kept box only looks at
  // the x-window of candidates that can reach it.
  std::vector<int64_t> select(const float* boxes, const float* scores, int64_t n, const Thresholds& t) const {
    std::vector<int64_t> order;
    for (int64_t i = 0; i < n; ++i) {
      if (!t.has_score || scores[i] > t.score) order.push_back(i);
    }
    std::vector<int64_t> kept;
    if (t.max_per_class <= 0 || order.empty()) return kept;
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return scores[a] > scores[b]; });
    SuppressionIndex index(boxes, order, center_point_);
    for (size_t rank = 0; rank < order.size(); ++rank) {
      if (!index.alive(rank)) continue;
      kept.push_back(order[rank]);
      if (static_cast<int64_t>(kept.size()) >= t.max_per_class) break;
      index.suppress_by(rank, t.iou);
    }
    return kept;
  }

  bool center_point_;
};

NP_REGISTER_KERNEL("NonMaxSuppression", 10, 1000,
                   [](const KernelBuildContext& b) { return std::make_unique<NonMaxSuppression>(b); });

}  // namespace
}  // namespace neuropipe::nn
