// The least-squares similarity behind face_align (face_common), on synthetic
// points: it recovers a known transform and never mirrors.
#include <catch2/catch.hpp>
#include <cmath>

#include "similarity_transform.hpp"

using namespace neuropipe;

namespace {

cv::Point2f apply(const cv::Matx23f& m, cv::Point2f p) {
  return {m(0, 0) * p.x + m(0, 1) * p.y + m(0, 2), m(1, 0) * p.x + m(1, 1) * p.y + m(1, 2)};
}

}  // namespace

TEST_CASE("estimate_similarity recovers a known rotation, scale and shift exactly", "[face_align][unit]") {
  const double angle = 0.6, scale = 1.7;  // radians; 34 degrees
  const cv::Matx23f truth(float(scale * std::cos(angle)), float(-scale * std::sin(angle)), 12.5f,
                          float(scale * std::sin(angle)), float(scale * std::cos(angle)), -7.25f);
  const std::vector<cv::Point2f> from = {{30, 50}, {70, 52}, {51, 72}, {35, 92}, {68, 91}};
  std::vector<cv::Point2f> to;
  for (const auto& p : from) to.push_back(apply(truth, p));

  const cv::Matx23f found = face::estimate_similarity(from, to);
  for (int r = 0; r < 2; ++r)
    for (int c = 0; c < 3; ++c) CHECK(found(r, c) == Approx(truth(r, c)).margin(1e-4));
}

TEST_CASE("estimate_similarity never mirrors: a reflected target gives a rotation", "[face_align][unit]") {
  const std::vector<cv::Point2f> from = {{30, 50}, {70, 52}, {51, 72}, {35, 92}, {68, 91}};
  std::vector<cv::Point2f> mirrored;
  for (const auto& p : from) mirrored.emplace_back(-p.x, p.y);
  const cv::Matx23f m = face::estimate_similarity(from, mirrored);
  CHECK(m(0, 0) * m(1, 1) - m(0, 1) * m(1, 0) > 0.f);  // positive determinant: no reflection
  CHECK(m(0, 0) == Approx(m(1, 1)).margin(1e-5));      // rotation + uniform scale
  CHECK(m(0, 1) == Approx(-m(1, 0)).margin(1e-5));
  CHECK_THROWS_WITH(face::estimate_similarity(from, {{1, 2}}), Catch::Contains("at least 2 points"));
}
