// stylize on real photos with the four real Johnson et al. models.
#include <catch2/catch.hpp>
#include <opencv2/imgproc.hpp>

#include "builtin_plugin.hpp"
#include "neuropipe/error.hpp"

using namespace neuropipe;
using namespace neuropipe::test;
using Catch::Matchers::Contains;

namespace {

double mean_abs_diff(const cv::Mat& a, const cv::Mat& b) {
  cv::Mat diff;
  cv::absdiff(a, b, diff);
  const cv::Scalar m = cv::mean(diff);
  return (m[0] + m[1] + m[2]) / 3;
}

// Mean |Laplacian| of the grey image: how much fine texture a picture holds.
double texture(const cv::Mat& bgr) {
  cv::Mat grey, lap;
  cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
  cv::Laplacian(grey, lap, CV_32F);
  return cv::mean(cv::abs(lap))[0];
}

FrameOrigin frame_number(int64_t index) {
  FrameOrigin origin;
  origin.index = index;
  return origin;
}

}  // namespace

TEST_CASE("stylize: a real style model repaints the frame at its own size",
          "[plugin][stylize][integration]") {
  const cv::Mat photo = shared_image("media/image/opencv_fruits.jpg");  // not square: letterboxed
  const BuiltinPlugin stylize("stylize");
  const cv::Mat candy = stylize.run(photo, {{"style", "candy"}});
  REQUIRE(candy.size() == photo.size());
  REQUIRE(candy.type() == CV_8UC3);
  INFO("candy vs photo mean abs diff " << mean_abs_diff(candy, photo));
  CHECK(mean_abs_diff(candy, photo) > 30);
  // Brush strokes: far more fine texture than the smooth fruit photo.
  CHECK(texture(candy) > 1.5 * texture(photo));
  // The letterbox padding was cropped away: the bottom rows are painted, not black.
  CHECK(cv::mean(candy.rowRange(candy.rows - 8, candy.rows))[1] > 20);

  SECTION("another style paints differently") {
    const cv::Mat mosaic = stylize.run(photo, {{"style", "mosaic"}});
    REQUIRE(mosaic.size() == photo.size());
    CHECK(mean_abs_diff(mosaic, candy) > 20);
  }
  SECTION("strength blends with the original") {
    CHECK(cv::norm(stylize.run(photo, {{"strength", 0.0}}), photo, cv::NORM_INF) == 0);
    cv::Mat expected;
    cv::addWeighted(candy, 0.5, photo, 0.5, 0, expected);
    CHECK(cv::norm(stylize.run(photo, {{"strength", 0.5}, {"temporal", 0.0}}), expected, cv::NORM_INF) <= 1);
  }
}

TEST_CASE("stylize: the temporal blend steadies a still scene", "[plugin][stylize][integration]") {
  // Two frames of a still scene, the second with sensor-like noise: the
  // network alone answers the noise with visibly different strokes.
  const cv::Mat still = shared_image("media/image/opencv_butterfly.jpg");
  cv::Mat noisy = still.clone(), noise(still.size(), CV_16SC3);
  cv::randn(noise, 0, 6);
  cv::add(still, noise, noisy, cv::noArray(), CV_8UC3);
  const BuiltinPlugin stylize("stylize");

  auto flicker = [&](double temporal) {
    Frame first(still.clone(), frame_number(0)), second(noisy.clone(), frame_number(1));
    Frame* frames[] = {&first, &second};
    stylize.node({{"style", "udnie"}, {"temporal", temporal}})->process_batch(frames);
    REQUIRE(second.image().size() == still.size());
    return mean_abs_diff(first.image(), second.image());
  };
  const double raw = flicker(0.0), steadied = flicker(0.8);
  INFO("frame-to-frame change: raw " << raw << ", with temporal blend " << steadied);
  CHECK(raw > 1.0);
  CHECK(steadied < 0.5 * raw);
}

TEST_CASE("stylize: bad settings fail with the name at fault", "[plugin][stylize][integration]") {
  const BuiltinPlugin stylize("stylize");
  CHECK_THROWS_WITH(stylize.node({{"style", "picasso"}}), Contains("style") && Contains("picasso"));
  Frame frame(shared_image("media/image/dog.jpg"), FrameOrigin{});
  CHECK_THROWS_WITH(stylize.node({{"model", "no-such-model"}})->process(frame), Contains("no-such-model"));
}
