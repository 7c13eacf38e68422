// The annealed-mean decoding of the colorize plugin against values worked out
// by hand (softmax of z/T, then the probability-weighted mean of the bins),
// and the 313-bin asset it decodes with.
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <set>
#include <utility>

#include "ab_bins.hpp"
#include "annealed_mean.hpp"
#include "test_support.hpp"

using namespace neuropipe;
using Catch::Matchers::Contains;

namespace {

const std::vector<cv::Vec2f> kThreeBins = {{0, 0}, {10, 0}, {0, 10}};

cv::Vec2f decode_one(const std::vector<float>& logits, double temperature,
                     const std::vector<cv::Vec2f>& bins = kThreeBins) {
  return colorize::annealed_mean(logits.data(), 1, 1, bins, temperature).at<cv::Vec2f>(0, 0);
}

}  // namespace

TEST_CASE("annealed mean: softmax(z/T) weights the bins", "[colorize][unit]") {
  // z/T = (0, ln 2, ln 3): probabilities 1/6, 2/6, 3/6 -> a = 10*2/6, b = 10*3/6.
  const float t = 0.5f;
  const cv::Vec2f ab = decode_one({0.f, t * std::log(2.f), t * std::log(3.f)}, t);
  CHECK(ab[0] == Approx(10.0 / 3.0).epsilon(1e-6));
  CHECK(ab[1] == Approx(5.0).epsilon(1e-6));
}

TEST_CASE("annealed mean: equal logits give the plain mean of the bins at any T", "[colorize][unit]") {
  for (double t : {1.0, 0.38, 0.05}) {
    const cv::Vec2f ab = decode_one({0.7f, 0.7f, 0.7f}, t);
    CHECK(ab[0] == Approx(10.0 / 3.0).epsilon(1e-6));
    CHECK(ab[1] == Approx(10.0 / 3.0).epsilon(1e-6));
  }
}

TEST_CASE("annealed mean: a low temperature tends to the mode, T = 1 is the mean", "[colorize][unit]") {
  const std::vector<float> logits = {1.f, 2.f, 1.5f};
  const cv::Vec2f mode = decode_one(logits, 0.01);  // exp(100) vs exp(50): the second bin
  CHECK(mode[0] == Approx(10.0).margin(1e-6));
  CHECK(mode[1] == Approx(0.0).margin(1e-6));
  // T = 1: e^1, e^2, e^1.5 normalised.
  const double e1 = std::exp(1.0), e2 = std::exp(2.0), e15 = std::exp(1.5), sum = e1 + e2 + e15;
  const cv::Vec2f mean = decode_one(logits, 1.0);
  CHECK(mean[0] == Approx(10.0 * e2 / sum).epsilon(1e-6));
  CHECK(mean[1] == Approx(10.0 * e15 / sum).epsilon(1e-6));
  // T = 0.38 (the paper's) lies between: more of the mode than the mean has.
  const cv::Vec2f annealed = decode_one(logits, 0.38);
  CHECK(annealed[0] > mean[0]);
  CHECK(annealed[0] < mode[0]);
}

TEST_CASE("annealed mean: large logits stay finite", "[colorize][unit]") {
  const cv::Vec2f ab = decode_one({1000.f, 1000.f, 999.f}, 0.38);
  // exp(-1/0.38) for the third bin relative to the others
  const double w = std::exp(-1.0 / 0.38), sum = 2.0 + w;
  CHECK(ab[0] == Approx(10.0 / sum).epsilon(1e-5));
  CHECK(ab[1] == Approx(10.0 * w / sum).epsilon(1e-5));
}

TEST_CASE("annealed mean: logits are read as NCHW planes, one per bin", "[colorize][unit]") {
  // 1x2 picture: pixel 0 prefers bin 2, pixel 1 bin 0 (plane q holds both pixels' logit of bin q).
  const std::vector<float> logits = {0.f, 50.f, /*bin 1*/ 0.f, 0.f, /*bin 2*/ 50.f, 0.f};
  const cv::Mat ab = colorize::annealed_mean(logits.data(), 1, 2, kThreeBins, 1.0);
  REQUIRE(ab.type() == CV_32FC2);
  CHECK(ab.at<cv::Vec2f>(0, 0)[1] == Approx(10.0).margin(1e-6));
  CHECK(ab.at<cv::Vec2f>(0, 1)[0] == Approx(0.0).margin(1e-6));
  CHECK(ab.at<cv::Vec2f>(0, 1)[1] == Approx(0.0).margin(1e-6));
}

TEST_CASE("the 313 ab bins asset: in-gamut points of the 10-unit grid", "[colorize][unit]") {
  const auto bins = colorize::read_ab_bins(test::source_dir() / "assets/colorize/ab_bins_313.txt");
  REQUIRE(bins.size() == 313);
  std::set<std::pair<int, int>> unique;
  for (const cv::Vec2f& bin : bins) {
    CHECK(std::fmod(bin[0], 10.f) == 0.f);
    CHECK(std::fmod(bin[1], 10.f) == 0.f);
    CHECK(std::abs(bin[0]) <= 110.f);
    CHECK(std::abs(bin[1]) <= 110.f);
    unique.emplace(int(bin[0]), int(bin[1]));
  }
  CHECK(unique.size() == 313);
  CHECK(unique.count({0, 0}) == 1);
  // pts_in_hull.npy order: sorted by a, then b
  CHECK(bins.front() == cv::Vec2f(-90, 50));
  CHECK(bins.back() == cv::Vec2f(100, 0));
}

TEST_CASE("ab bins file errors name the file and line", "[colorize][unit]") {
  test::TempDir dir("np-colorize-bins");
  std::ofstream(dir / "bad.txt") << "# a b\n0 0\n10 0 5\n";
  CHECK_THROWS_WITH(colorize::read_ab_bins(dir / "bad.txt"), Contains("bad.txt:3"));
  CHECK_THROWS_WITH(colorize::read_ab_bins(dir / "missing.txt"), Contains("missing.txt"));
}
