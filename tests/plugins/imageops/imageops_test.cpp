// The image-operation plugins (resize, crop, color_convert, flip, blur).
#include <catch2/catch.hpp>
#include <opencv2/imgproc.hpp>

#include "builtin_plugin.hpp"
#include "neuropipe/error.hpp"

using namespace neuropipe;
using namespace neuropipe::test;
using Catch::Matchers::Contains;

TEST_CASE("resize: exact size, scale, keep_aspect and letterbox", "[plugin][imageops][integration]") {
  const cv::Mat image = shared_image("media/image/opencv_baboon.jpg");  // 512x512
  const BuiltinPlugin resize("resize");
  CHECK(resize.run(image, {{"width", 320}, {"height", 200}}).size() == cv::Size(320, 200));
  CHECK(resize.run(image, {{"scale", 0.5}}).size() == cv::Size(image.cols / 2, image.rows / 2));
  CHECK(resize.run(image, {{"width", 256}, {"mode", "keep_aspect"}}).size() == cv::Size(256, 256));

  const cv::Mat boxed = resize.run(image, {{"width", 400}, {"height", 200}, {"mode", "letterbox"}});
  REQUIRE(boxed.size() == cv::Size(400, 200));
  CHECK(cv::countNonZero(cv::Mat(boxed.reshape(1)(cv::Rect(0, 0, 3 * 100, 200)))) == 0);  // left bar
  CHECK(cv::mean(boxed(cv::Rect(100, 0, 200, 200)))[0] > 20);                            // the picture

  CHECK_THROWS_WITH(resize.node({{"width", 10}, {"height", 10}, {"scale", 2.0}}), Contains("not both"));
  CHECK_THROWS_WITH(resize.node({{"width", 10}}), Contains("needs both width and height"));
  CHECK_THROWS_WITH(resize.node({{"interpolation", "bilinear"}}),
                    Contains("parameter 'interpolation' = \"bilinear\" is not one of"));
}

TEST_CASE("crop: pixels, fractions, and a rectangle leaving the frame", "[plugin][imageops][integration]") {
  const cv::Mat image = shared_image("media/image/dog.jpg");
  const BuiltinPlugin crop("crop");
  const cv::Mat cut = crop.run(image, {{"x", 10}, {"y", 20}, {"width", 100}, {"height", 50}});
  REQUIRE(cut.size() == cv::Size(100, 50));
  CHECK(cv::norm(cut, image(cv::Rect(10, 20, 100, 50)), cv::NORM_INF) == 0);
  CHECK(crop.run(image, {{"x", 0.5}, {"width", 0.5}, {"height", 1.0}, {"units", "fraction"}}).cols ==
        image.cols - image.cols / 2);

  Frame frame(image.clone(), FrameOrigin{});
  auto outside = crop.node({{"x", image.cols - 10}, {"width", 100}, {"height", 10}});
  CHECK_THROWS_WITH(outside->process(frame), Contains("node 'crop_node' (plugin crop)") && Contains("clamp"));
  CHECK(crop.run(image, {{"x", image.cols - 10}, {"width", 100}, {"height", 10}, {"clamp", true}}).cols == 10);
  CHECK_THROWS_WITH(crop.node({{"x", 1}}), Contains("parameter 'width' is required"));
}

TEST_CASE("color_convert keeps BGR 8-bit", "[plugin][imageops][integration]") {
  const cv::Mat image = shared_image("media/image/fish.png");
  const BuiltinPlugin convert("color_convert");
  const cv::Mat gray = convert.run(image, {{"to", "gray"}});
  REQUIRE(gray.type() == CV_8UC3);
  std::vector<cv::Mat> planes;
  cv::split(gray, planes);
  CHECK(cv::norm(planes[0], planes[2], cv::NORM_INF) == 0);

  const cv::Mat swapped = convert.run(image, {{"to", "swap_rb"}});
  CHECK(swapped.at<cv::Vec3b>(5, 7)[0] == image.at<cv::Vec3b>(5, 7)[2]);
  const cv::Mat inverted = convert.run(image, {{"to", "invert"}});
  CHECK(inverted.at<cv::Vec3b>(5, 7)[1] == 255 - image.at<cv::Vec3b>(5, 7)[1]);
}

TEST_CASE("flip mirrors and rotates", "[plugin][imageops][integration]") {
  const cv::Mat image = shared_image("media/image/dog.jpg");
  const BuiltinPlugin flip("flip");
  const cv::Mat mirrored = flip.run(image, nlohmann::json::object());
  CHECK(mirrored.at<cv::Vec3b>(3, 0) == image.at<cv::Vec3b>(3, image.cols - 1));
  const cv::Mat turned = flip.run(image, {{"how", "rotate90"}});
  CHECK(turned.size() == cv::Size(image.rows, image.cols));
  CHECK(turned.at<cv::Vec3b>(0, turned.cols - 1) == image.at<cv::Vec3b>(0, 0));
}

TEST_CASE("blur in detections mode changes only the detected boxes", "[plugin][imageops][integration]") {
  const cv::Mat image = shared_image("media/faces/faceapi-sample1.jpg");
  auto faces = std::make_shared<Detections>();
  Detection d;
  d.box = cv::Rect2f(40, 30, 80, 90);
  faces->items.push_back(d);
  const cv::Mat blurred = BuiltinPlugin("blur").run(image, {{"region", "detections"}, {"grow", 0.0}}, faces);
  const cv::Mat diff = changed(image, blurred);
  CHECK(cv::countNonZero(diff(cv::Rect(40, 30, 80, 90))) > 80 * 90 / 4);
  CHECK(cv::countNonZero(diff) == cv::countNonZero(diff(cv::Rect(40, 30, 80, 90))));
  // Without detections nothing changes; in frame mode everything may.
  CHECK(cv::countNonZero(changed(image, BuiltinPlugin("blur").run(image, {{"region", "detections"}}))) == 0);
  CHECK(cv::countNonZero(changed(image, BuiltinPlugin("blur").run(image, {{"method", "pixelate"}}))) >
        static_cast<int>(image.total() / 2));
}
