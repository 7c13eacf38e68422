// NonMaxSuppression against a copy of the first (per-candidate scan over the
// kept boxes) implementation: the windowed, vectorised one must select the
// same boxes in the same order, ties, degenerate boxes and NaNs included.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "single_node.hpp"

using neuropipe::nn::DType;
using neuropipe::test::floats;
using neuropipe::test::ints;
using neuropipe::test::SingleNode;

namespace {

struct RefCorners {
  float x1, y1, x2, y2;
  float area() const { return (x2 - x1) * (y2 - y1); }
};

RefCorners ref_corners(const float* b, bool center_point) {
  if (center_point) return {b[0] - b[2] / 2, b[1] - b[3] / 2, b[0] + b[2] / 2, b[1] + b[3] / 2};
  return {std::min(b[1], b[3]), std::min(b[0], b[2]), std::max(b[1], b[3]), std::max(b[0], b[2])};
}

bool ref_overlaps(const RefCorners& a, const RefCorners& b, float threshold) {
  const float ix1 = std::max(a.x1, b.x1), iy1 = std::max(a.y1, b.y1);
  const float ix2 = std::min(a.x2, b.x2), iy2 = std::min(a.y2, b.y2);
  if (ix2 <= ix1 || iy2 <= iy1) return false;
  const float inter = (ix2 - ix1) * (iy2 - iy1);
  const float area_a = a.area(), area_b = b.area();
  const float uni = area_a + area_b - inter;
  if (area_a <= 0 || area_b <= 0 || uni <= 0) return false;
  return inter / uni > threshold;
}

struct Case {
  int64_t batches, classes, boxes;
  std::vector<float> box_data, score_data;
  bool center_point;
  int64_t max_per_class;
  float iou;
  bool has_score;
  float score;
};

// The reference: rows [batch, class, box] in selection order.
std::vector<int64_t> reference(const Case& c) {
  std::vector<int64_t> rows;
  for (int64_t b = 0; b < c.batches; ++b) {
    for (int64_t k = 0; k < c.classes; ++k) {
      const float* boxes = c.box_data.data() + b * c.boxes * 4;
      const float* scores = c.score_data.data() + (b * c.classes + k) * c.boxes;
      std::vector<int64_t> order;
      for (int64_t i = 0; i < c.boxes; ++i)
        if (!c.has_score || scores[i] > c.score) order.push_back(i);
      std::stable_sort(order.begin(), order.end(), [&](int64_t x, int64_t y) { return scores[x] > scores[y]; });
      std::vector<RefCorners> kept;
      int64_t count = 0;
      for (int64_t i : order) {
        if (count >= c.max_per_class) break;
        const RefCorners box = ref_corners(boxes + i * 4, c.center_point);
        if (std::any_of(kept.begin(), kept.end(), [&](const RefCorners& q) { return ref_overlaps(q, box, c.iou); }))
          continue;
        kept.push_back(box);
        rows.insert(rows.end(), {b, k, i});
        ++count;
      }
    }
  }
  return rows;
}

std::vector<int64_t> run_op(const Case& c) {
  SingleNode node("NonMaxSuppression", 11);
  node.input(floats(c.box_data, {c.batches, c.boxes, 4}))
      .input(floats(c.score_data, {c.batches, c.classes, c.boxes}))
      .constant(ints({c.max_per_class}, {1}))
      .constant(floats({c.iou}, {1}));
  if (c.has_score) node.constant(floats({c.score}, {1}));
  node.attr("center_point_box", int64_t{c.center_point ? 1 : 0}).outputs({DType::i64});
  return node.run()[0].to_int64_vector();
}

// Boxes on a coarse grid (many identical and touching boxes), some flipped,
// zero-area or NaN, shifted per "level" like torchvision's batched NMS so
// that far-apart groups exist; scores from a few values (many ties).
Case random_case(std::mt19937& rng, bool center_point, bool nan_scores) {
  Case c{};
  c.batches = 1 + rng() % 2;
  c.classes = 1 + rng() % 3;
  c.boxes = 1 + rng() % 300;
  c.center_point = center_point;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  for (int64_t i = 0; i < c.batches * c.boxes; ++i) {
    const float shift = static_cast<float>(rng() % 4) * 40.0f;
    float v[4];
    for (float& x : v) x = static_cast<float>(rng() % 12) + shift;
    if (center_point) v[2] = static_cast<float>(static_cast<int>(rng() % 10) - 2), v[3] = static_cast<float>(rng() % 8);
    if (rng() % 50 == 0) v[rng() % 4] = nan;
    c.box_data.insert(c.box_data.end(), v, v + 4);
  }
  for (int64_t i = 0; i < c.batches * c.classes * c.boxes; ++i) {
    c.score_data.push_back(static_cast<float>(rng() % 6) / 5.0f);
    if (nan_scores && rng() % 20 == 0) c.score_data.back() = nan;
  }
  const int64_t maxes[] = {0, 1, 3, 50, std::numeric_limits<int64_t>::max()};
  c.max_per_class = maxes[rng() % 5];
  const float ious[] = {0.0f, 0.2f, 0.5f, 1.0f / 3.0f, 1.0f};
  c.iou = ious[rng() % 5];
  // NaN scores only with a score threshold: without one the order of NaNs is
  // whatever stable_sort makes of an invalid comparison, not a defined result.
  c.has_score = nan_scores || rng() % 2 == 0;
  c.score = static_cast<float>(rng() % 6) / 5.0f - 0.2f;  // equal to some scores: strict > matters
  return c;
}

}  // namespace

TEST_CASE("NonMaxSuppression selects exactly what the per-candidate scan selects", "[nn][ops][detection]") {
  std::mt19937 rng(20261122);
  int64_t selected = 0;
  for (int trial = 0; trial < 400; ++trial) {
    const Case c = random_case(rng, trial % 2 == 1, trial % 3 == 0);
    const std::vector<int64_t> want = reference(c);
    INFO("trial " << trial << " boxes " << c.boxes << " iou " << c.iou << " max " << c.max_per_class);
    REQUIRE(run_op(c) == want);
    selected += static_cast<int64_t>(want.size());
  }
  CHECK(selected > 1000);  // the cases do select boxes, not only empty outputs
}

TEST_CASE("NonMaxSuppression suppresses across a wide box and keeps far groups apart", "[nn][ops][detection]") {
  // One huge box widens the search window; boxes 1 and 2 overlap box 0 only.
  Case c{1, 1, 4, {0, 0, 10, 10, 0, 1, 10, 11, 0, 0, 10000, 10000, 5000, 5000, 5010, 5010},
         {0.9f, 0.8f, 0.7f, 0.6f}, false, 10, 0.5f, false, 0.0f};
  CHECK(run_op(c) == reference(c));
  CHECK(run_op(c) == std::vector<int64_t>{0, 0, 0, 0, 0, 2, 0, 0, 3});
}
