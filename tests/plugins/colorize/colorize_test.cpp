// The colorize plugin on real photos with the seeded ECCV16/SIGGRAPH17
// exports: grey in -> colour out with the input's lightness, strength 0 = the
// input, metadata, and clear errors for bad models and parameters.
#include <catch2/catch.hpp>
#include <opencv2/imgproc.hpp>

#include "colorize_exports.hpp"
#include "neuropipe/metadata.hpp"
#include "plugin_runner.hpp"

using namespace neuropipe;
using Catch::Matchers::Contains;

namespace {

nlohmann::json eccv16(double strength = 1.0) {
  return {{"model", "colorization-eccv16"},
          {"model_file", test::colorization_export("colorization-eccv16.onnx").string()},
          {"strength", strength}};
}

cv::Mat grey_photo(const std::string& relative) {
  cv::Mat grey, bgr;
  cv::cvtColor(test::read_image(relative), grey, cv::COLOR_BGR2GRAY);
  cv::cvtColor(grey, bgr, cv::COLOR_GRAY2BGR);
  return bgr;
}

// OpenCV's own Lab (float input: L in 0..100), independent of the plugin's.
cv::Mat lab_of(const cv::Mat& bgr) {
  cv::Mat f, lab;
  bgr.convertTo(f, CV_32FC3, 1.0 / 255);
  cv::cvtColor(f, lab, cv::COLOR_BGR2Lab);
  return lab;
}

// |L(out) - L(in)| over the pixels the output did not clip to the sRGB gamut
// (no channel at 0 or 255): there Lab -> BGR is exact up to 8-bit rounding.
// Clipped (out-of-gamut) predictions move L, as in skimage's lab2rgb.
struct LightnessChange {
  double mean = 0, max = 0, unclipped_fraction = 0;
};

LightnessChange lightness_change(const cv::Mat& in, const cv::Mat& out) {
  std::vector<cv::Mat> l_in, l_out;
  cv::split(lab_of(in), l_in);
  cv::split(lab_of(out), l_out);
  cv::Mat unclipped;
  cv::inRange(out, cv::Scalar(1, 1, 1), cv::Scalar(254, 254, 254), unclipped);
  const cv::Mat diff = cv::abs(l_out[0] - l_in[0]);
  LightnessChange c;
  c.mean = cv::mean(diff, unclipped)[0];
  cv::minMaxLoc(diff, nullptr, &c.max, nullptr, nullptr, unclipped);
  c.unclipped_fraction = cv::countNonZero(unclipped) / double(unclipped.total());
  return c;
}

double mean_chroma(const cv::Mat& lab) {
  std::vector<cv::Mat> c;
  cv::split(lab, c);
  cv::Mat chroma;
  cv::magnitude(c[1], c[2], chroma);
  return cv::mean(chroma)[0];
}

cv::Mat run(const nlohmann::json& params, const cv::Mat& image, nlohmann::json* record = nullptr) {
  test::PluginRunner runner("colorize");
  auto node = runner.node(params, "colorize");
  Frame frame(image.clone(), FrameOrigin{});
  node->process(frame);
  if (record) {
    auto item = frame.get_as<JsonMetadata>("colorize");
    REQUIRE(item);
    *record = item->value;
  }
  return frame.image();
}

}  // namespace

TEST_CASE("colorize: a grey photo comes out in colour with its own lightness", "[colorize][integration]") {
  const cv::Mat grey = grey_photo("media/image/skimage_coffee.png");
  nlohmann::json record;
  const cv::Mat out = run(eccv16(), grey, &record);
  REQUIRE(out.size() == grey.size());
  const cv::Mat lab_in = lab_of(grey), lab_out = lab_of(out);
  CHECK(mean_chroma(lab_in) < 0.5);
  CHECK(mean_chroma(lab_out) > 5.0);  // seeded weights: arbitrary but real colours
  // L kept wherever the colour is in gamut: only 8-bit rounding moves it.
  const LightnessChange l = lightness_change(grey, out);
  INFO("unclipped " << l.unclipped_fraction << ", |dL| mean " << l.mean << " max " << l.max);
  CHECK(l.unclipped_fraction > 0.5);
  CHECK(l.mean < 0.3);
  CHECK(l.max < 1.0);
  CHECK(record["model"] == "colorization-eccv16");
  CHECK(record["decoding"] == "annealed_mean");
  CHECK(record["input_chroma"].get<double>() < 0.5);
  CHECK(record["output_chroma"].get<double>() > 5.0);
}

TEST_CASE("colorize: strength 0 returns the input, 0.5 half the colour", "[colorize][integration]") {
  const cv::Mat grey = grey_photo("media/image/opencv_fruits.jpg");
  CHECK(cv::norm(run(eccv16(0.0), grey), grey, cv::NORM_INF) == 0);
  nlohmann::json full, half;
  run(eccv16(1.0), grey, &full);
  run(eccv16(0.5), grey, &half);
  // a grey input has ab = 0, so half strength halves the predicted ab everywhere
  CHECK(half["output_chroma"].get<double>() == Approx(full["output_chroma"].get<double>() / 2).epsilon(0.01));
}

TEST_CASE("colorize: a colour photo keeps its lightness too (SIGGRAPH17)", "[colorize][integration]") {
  const cv::Mat photo = test::read_image("media/image/opencv_baboon.jpg");
  nlohmann::json record;
  const cv::Mat out = run({{"model", "colorization-siggraph17"},
                           {"model_file", test::colorization_export("colorization-siggraph17.onnx").string()}},
                          photo, &record);
  CHECK(record["decoding"] == "ab");
  CHECK(cv::norm(out, photo, cv::NORM_L1) / double(photo.total() * 3) > 5.0);  // the colours changed
  const LightnessChange l = lightness_change(photo, out);
  INFO("unclipped " << l.unclipped_fraction << ", |dL| mean " << l.mean << " max " << l.max);
  CHECK(l.unclipped_fraction > 0.5);
  CHECK(l.mean < 0.3);
  CHECK(l.max < 1.0);
}

TEST_CASE("colorize: bad models and parameters are refused with the cause", "[colorize][integration]") {
  test::PluginRunner runner("colorize");
  CHECK_THROWS_WITH(runner.node({{"model_file", "/nonexistent/colorizer.onnx"}}, "c"),
                    Contains("/nonexistent/colorizer.onnx"));
  CHECK_THROWS_WITH(runner.node({{"model", "no-such-colorizer"}}, "c"), Contains("no-such-colorizer"));
  CHECK_THROWS_WITH(runner.node({{"model", "squeezenet1.0-fp32"}}, "c"), Contains("not a colorize model"));
  CHECK_THROWS_WITH(runner.node({{"temperature", 0.0}}, "c"), Contains("temperature"));
  CHECK_THROWS_WITH(runner.node({{"strength", 1.5}}, "c"), Contains("strength"));
  CHECK_THROWS_WITH(runner.node({{"output", "overlay"}}, "c"), Contains("output"));
}
