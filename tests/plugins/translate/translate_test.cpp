// translate with the real compressed CycleGAN horse->zebra generator on real photos.
#include <algorithm>

#include <catch2/catch.hpp>
#include <opencv2/imgproc.hpp>

#include "builtin_plugin.hpp"
#include "neuropipe/error.hpp"

using namespace neuropipe;
using namespace neuropipe::test;
using Catch::Matchers::Contains;

namespace {

// Mean HSV saturation in the region: golden fur is strongly coloured,
// zebra stripes are black and white.
double saturation(const cv::Mat& bgr, cv::Rect region) {
  cv::Mat hsv;
  cv::cvtColor(bgr(region), hsv, cv::COLOR_BGR2HSV);
  return cv::mean(hsv)[1];
}

// Mean colour step between columns x-1 and x, over all rows.
double column_step(const cv::Mat& bgr, int x) {
  cv::Mat diff;
  cv::absdiff(bgr.col(x), bgr.col(x - 1), diff);
  const cv::Scalar m = cv::mean(diff);
  return m[0] + m[1] + m[2];
}

// The step at column x relative to the median step of all columns (1 = no seam).
double seam_strength(const cv::Mat& bgr, int x) {
  std::vector<double> steps;
  for (int c = 1; c < bgr.cols; ++c) steps.push_back(column_step(bgr, c));
  std::nth_element(steps.begin(), steps.begin() + steps.size() / 2, steps.end());
  return column_step(bgr, x) / steps[steps.size() / 2];
}

cv::Mat half_size(const cv::Mat& image) {
  cv::Mat small;
  cv::resize(image, small, cv::Size(image.cols / 2, image.rows / 2), 0, 0, cv::INTER_AREA);
  return small;
}

}  // namespace

TEST_CASE("translate: CycleGAN horse->zebra paints stripes on an animal",
          "[plugin][translate][integration]") {
  const cv::Mat dog = half_size(shared_image("media/image/dog.jpg"));  // 540x540, a golden puppy
  const cv::Rect body(130, 330, 210, 140);                             // belly and legs
  const BuiltinPlugin translate("translate");
  const cv::Mat zebra = translate.run(dog, nlohmann::json::object());
  REQUIRE(zebra.size() == dog.size());
  INFO("saturation on the puppy: before " << saturation(dog, body) << ", after " << saturation(zebra, body));
  CHECK(saturation(zebra, body) < 0.5 * saturation(dog, body));

  SECTION("side by side keeps the original on the left") {
    const cv::Mat both = translate.run(dog, {{"output", "side_by_side"}});
    REQUIRE(both.size() == cv::Size(2 * dog.cols, dog.rows));
    CHECK(cv::norm(both(cv::Rect(0, 0, dog.cols, dog.rows)), dog, cv::NORM_INF) == 0);
    CHECK(cv::norm(both(cv::Rect(dog.cols, 0, dog.cols, dog.rows)), zebra, cv::NORM_INF) == 0);
  }
  SECTION("strength 0 is the original") {
    CHECK(cv::norm(translate.run(dog, {{"strength", 0.0}}), dog, cv::NORM_INF) == 0);
  }
  SECTION("sizes that are not multiples of 4 are padded and cropped back") {
    const cv::Mat odd = dog(cv::Rect(3, 5, 301, 203)).clone();
    CHECK(translate.run(odd, {{"max_size", 0}}).size() == odd.size());
  }
}

TEST_CASE("translate: overlapping tiles hide the seams", "[plugin][translate][integration]") {
  const cv::Mat dog = half_size(shared_image("media/image/dog.jpg"));
  const BuiltinPlugin translate("translate");
  // Tiles of 256: without overlap column 256 is a hard tile border; with 32
  // pixels of overlap it lies inside a cross-fade.
  const cv::Mat hard = translate.run(dog, {{"policy", "tile"}, {"overlap", 0}});
  const cv::Mat soft = translate.run(dog, {{"policy", "tile"}, {"overlap", 32}});
  REQUIRE(soft.size() == dog.size());
  INFO("seam at x=256: no overlap " << seam_strength(hard, 256) << ", overlap 32 "
                                    << seam_strength(soft, 256));
  CHECK(seam_strength(hard, 256) > 1.5 * seam_strength(soft, 256));
  const cv::Rect body(130, 330, 210, 140);
  CHECK(saturation(soft, body) < 0.7 * saturation(dog, body));  // tiles see less context: fainter stripes
}

TEST_CASE("translate: bad settings fail with the name at fault", "[plugin][translate][integration]") {
  const BuiltinPlugin translate("translate");
  CHECK_THROWS_WITH(translate.node({{"tile_size", 64}, {"overlap", 64}}), Contains("overlap"));
  Frame frame(shared_image("media/image/dog.jpg"), FrameOrigin{});
  CHECK_THROWS_WITH(translate.node({{"model", "no-such-generator"}})->process(frame),
                    Contains("no-such-generator"));
}
