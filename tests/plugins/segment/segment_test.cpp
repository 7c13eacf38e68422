// The segment plugin with DeepLabV3 (PASCAL VOC) and the MediaPipe selfie model.
#include <catch2/catch.hpp>
#include <filesystem>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "plugin_runner.hpp"

using namespace neuropipe;
using namespace neuropipe::test;

namespace {

constexpr int kVocCat = 8, kVocDog = 12;

struct Segmented {
  std::shared_ptr<const SegmentationMask> mask;
  cv::Mat image;  // the frame's pixels afterwards
};

Segmented segment(const cv::Mat& image, const nlohmann::json& params, FrameOrigin origin = {}) {
  static const PluginRunner runner("segment");
  Frame frame(image, std::move(origin));
  runner.node(params, "segment")->process(frame);
  auto mask = frame.get_as<SegmentationMask>("segment");
  REQUIRE(mask);
  return {mask, frame.image()};
}

// A frame with a person in it from the Intel sample video.
cv::Mat person_frame() {
  const auto path = shared_file("media/video/intel_one-by-one-person-detection.mp4");
  cv::VideoCapture video(path.string());
  cv::Mat frame;
  video.set(cv::CAP_PROP_POS_FRAMES, 140);
  if (!video.read(frame)) FAIL("cannot read a frame of " << path);
  return frame;
}

}  // namespace

TEST_CASE("DeepLabV3 finds the cat and the dog covering a quarter of their pictures",
          "[segment][integration]") {
  const auto cat = segment(read_image("media/image/cat.jpg"), nlohmann::json::object());
  REQUIRE(cat.mask->labels.size() == read_image("media/image/cat.jpg").size());
  REQUIRE(cat.mask->labels.type() == CV_8UC1);
  REQUIRE(cat.mask->class_names.size() == 21);
  CHECK(cat.mask->class_names[kVocCat] == "cat");
  CHECK(cat.mask->area_fraction.at(kVocCat) == Approx(0.24).margin(0.03));  // ONNX Runtime: 24 %
  CHECK(cat.mask->to_json()["area_fraction"]["cat"].get<double>() == Approx(0.24).margin(0.03));

  const auto dog = segment(read_image("media/image/dog.jpg"), nlohmann::json::object());
  CHECK(dog.mask->area_fraction.at(kVocDog) == Approx(0.25).margin(0.03));  // ONNX Runtime: 25 %
  double total = 0;
  for (float f : dog.mask->area_fraction) total += f;
  CHECK(total == Approx(1.0).epsilon(1e-4));
}

TEST_CASE("letterboxed input maps the mask back onto the same pixels", "[segment][integration]") {
  const cv::Mat image = read_image("media/image/cat.jpg");
  const auto stretched = segment(image, nlohmann::json::object());
  const auto boxed = segment(image, {{"resize", "letterbox"}});
  cv::Mat agree = stretched.mask->labels == boxed.mask->labels;
  CHECK(cv::countNonZero(agree) > 0.9 * double(image.total()));
  CHECK(boxed.mask->area_fraction.at(kVocCat) == Approx(0.24).margin(0.05));
}

TEST_CASE("classes keeps only the chosen classes", "[segment][integration]") {
  const auto only_dog = segment(read_image("media/image/cat.jpg"), {{"classes", {"dog"}}});
  CHECK(cv::countNonZero(only_dog.mask->labels) == 0);  // the cat is gone, nothing else was a dog
  const auto only_cat = segment(read_image("media/image/cat.jpg"), {{"classes", {"cat"}}});
  cv::Mat other = (only_cat.mask->labels != 0) & (only_cat.mask->labels != kVocCat);
  CHECK(cv::countNonZero(other) == 0);
  CHECK(only_cat.mask->area_fraction.at(kVocCat) > 0.2f);
}

TEST_CASE("palette effect colours the cat and leaves the background", "[segment][integration]") {
  const cv::Mat image = read_image("media/image/cat.jpg");
  const auto result = segment(image, {{"effect", "palette"}, {"alpha", 0.6}});
  cv::Mat diff, changed;
  cv::absdiff(image, result.image, diff);
  cv::cvtColor(diff, changed, cv::COLOR_BGR2GRAY);
  const cv::Mat is_cat = result.mask->labels == kVocCat, background = result.mask->labels == 0;
  CHECK(cv::countNonZero(changed & is_cat) > 0.9 * cv::countNonZero(is_cat));
  CHECK(cv::countNonZero(changed & background) == 0);
}

TEST_CASE("mask_dir writes each mask as a PNG of class ids", "[segment][integration]") {
  TempDir dir("np-segment-masks");
  FrameOrigin origin;
  origin.relative_path = "pets/cat.jpg";
  const auto result = segment(read_image("media/image/cat.jpg"), {{"mask_dir", dir.path().string()}}, origin);
  const cv::Mat written = cv::imread((dir / "pets/cat.png").string(), cv::IMREAD_UNCHANGED);
  REQUIRE(!written.empty());
  CHECK(cv::countNonZero(written != result.mask->labels) == 0);
  CHECK(std::distance(std::filesystem::directory_iterator(dir / "pets"), {}) == 1);  // no partial file left
}

TEST_CASE("selfie model: the person stays sharp while the background is blurred or replaced",
          "[segment][integration]") {
  const cv::Mat frame = person_frame();
  const auto blurred = segment(frame, {{"model", "selfie-person"}, {"effect", "blur"}, {"feather", 0}});
  const auto& mask = *blurred.mask;
  REQUIRE(mask.class_names == std::vector<std::string>{"background", "person"});
  REQUIRE(mask.confidence.type() == CV_32FC1);
  const float person = mask.area_fraction.at(1);
  CHECK(person > 0.02f);
  CHECK(person < 0.6f);

  cv::Mat diff, changed;
  cv::absdiff(frame, blurred.image, diff);
  cv::cvtColor(diff, changed, cv::COLOR_BGR2GRAY);
  const cv::Mat sure_person = mask.confidence > 0.99f, sure_background = mask.confidence < 0.01f;
  CHECK(cv::mean(changed, sure_person)[0] < 2.0);
  CHECK(cv::mean(changed, sure_background)[0] > 2.0);

  const auto replaced = segment(
      frame,
      {{"model", "selfie-person"}, {"effect", "replace"}, {"background_color", "#00ff00"}, {"feather", 0}});
  // The matte is the soft probability: "sure" background may keep a trace (< 1 %) of the frame.
  cv::Mat pure_green;
  cv::inRange(replaced.image, cv::Scalar(0, 252, 0), cv::Scalar(3, 255, 3), pure_green);
  CHECK(cv::countNonZero(pure_green & sure_background) == cv::countNonZero(sure_background));
  CHECK(cv::countNonZero(pure_green & sure_person) == 0);
}

TEST_CASE("segment errors name the unknown class, colour or picture", "[segment][integration]") {
  const cv::Mat image = read_image("media/image/cat.jpg");
  CHECK_THROWS_WITH(segment(image, {{"classes", {"unicorn"}}}),
                    Catch::Contains("unicorn") && Catch::Contains("cat"));
  CHECK_THROWS_WITH(segment(image, {{"background_color", "green"}}), Catch::Contains("background_color"));
  CHECK_THROWS_WITH(segment(image, {{"effect", "replace"}, {"background_image", "/nonexistent/beach.jpg"}}),
                    Catch::Contains("/nonexistent/beach.jpg"));
}
