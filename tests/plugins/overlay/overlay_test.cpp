// The overlay plugin on real pictures from ../shared/media.
#include <catch2/catch.hpp>
#include <opencv2/imgproc.hpp>

#include "builtin_plugin.hpp"

using namespace neuropipe;
using namespace neuropipe::test;

namespace {
std::shared_ptr<Detections> one_box(cv::Rect2f box) {
  auto detections = std::make_shared<Detections>();
  Detection d;
  d.box = box;
  d.label = "dog";
  d.class_id = 12;
  d.score = 0.87f;
  detections->items.push_back(d);
  return detections;
}

int changed_in(const cv::Mat& mask, cv::Rect region) {
  return cv::countNonZero(mask(region & cv::Rect(0, 0, mask.cols, mask.rows)));
}
}  // namespace

TEST_CASE("overlay draws a detection box inside its region and nowhere else", "[plugin][overlay][integration]") {
  const cv::Mat image = shared_image("media/image/dog.jpg");
  const cv::Rect box(image.cols / 4, image.rows / 4, image.cols / 3, image.rows / 3);
  const BuiltinPlugin overlay("overlay");

  const cv::Mat drawn =
      overlay.run(image, {{"labels", false}, {"scores", false}}, one_box(cv::Rect2f(box)));
  const cv::Mat diff = changed(image, drawn);
  const int margin = 6;  // line thickness plus anti-aliasing
  const cv::Rect near_box(box.x - margin, box.y - margin, box.width + 2 * margin, box.height + 2 * margin);
  CHECK(changed_in(diff, near_box) > 2 * (box.width + box.height));  // the whole outline
  CHECK(cv::countNonZero(diff) == changed_in(diff, near_box));      // nothing outside it
  const cv::Rect deep_inside(box.x + margin, box.y + margin, box.width - 2 * margin, box.height - 2 * margin);
  CHECK(changed_in(diff, deep_inside) == 0);                         // an outline, not a fill

  // With labels the text sits on a filled band just above the box.
  const cv::Mat labelled = overlay.run(image, nlohmann::json::object(), one_box(cv::Rect2f(box)));
  CHECK(changed_in(changed(image, labelled), cv::Rect(box.x, box.y - 20, box.width, 20)) > 100);
}

TEST_CASE("overlay blends a segmentation mask only where a class was found", "[plugin][overlay][integration]") {
  const cv::Mat image = shared_image("media/image/cat.jpg");
  auto mask = std::make_shared<SegmentationMask>();
  mask->labels = cv::Mat::zeros(image.size(), CV_8UC1);
  const cv::Rect region(10, 10, image.cols / 2, image.rows / 2);
  mask->labels(region).setTo(15);

  const cv::Mat diff = changed(image, BuiltinPlugin("overlay").run(image, nlohmann::json::object(), mask));
  CHECK(changed_in(diff, region) > region.area() / 2);
  CHECK(cv::countNonZero(diff) == changed_in(diff, region));

  const cv::Mat off = BuiltinPlugin("overlay").run(image, {{"mask", false}}, mask);
  CHECK(cv::countNonZero(changed(image, off)) == 0);
}

TEST_CASE("overlay lists top classes in the corner and a caption at the bottom", "[plugin][overlay][integration]") {
  const cv::Mat image = shared_image("media/image/opencv_building.jpg");
  auto classes = std::make_shared<Classifications>();
  classes->top = {{1, "church", 0.7f}, {2, "palace", 0.2f}};
  const cv::Mat with_classes = BuiltinPlugin("overlay").run(image, nlohmann::json::object(), classes);
  const cv::Mat diff = changed(image, with_classes);
  CHECK(changed_in(diff, cv::Rect(0, 0, image.cols / 2, image.rows / 4)) > 200);
  CHECK(cv::countNonZero(diff) == changed_in(diff, cv::Rect(0, 0, image.cols / 2, image.rows / 4)));

  auto caption = std::make_shared<Caption>();
  caption->text = "a large building with a clock tower";
  const cv::Mat captioned = changed(image, BuiltinPlugin("overlay").run(image, nlohmann::json::object(), caption));
  const cv::Rect bottom(0, image.rows * 3 / 4, image.cols, image.rows - image.rows * 3 / 4);
  CHECK(changed_in(captioned, bottom) > 500);
  CHECK(cv::countNonZero(captioned) == changed_in(captioned, bottom));
}

TEST_CASE("overlay text grows with the frame size", "[plugin][overlay][integration]") {
  auto caption = std::make_shared<Caption>();
  caption->text = "scale";
  auto text_height = [&](cv::Size size) {
    const cv::Mat blank(size, CV_8UC3, cv::Scalar(128, 128, 128));
    const cv::Mat diff = changed(blank, BuiltinPlugin("overlay").run(blank, nlohmann::json::object(), caption));
    return cv::boundingRect(diff).height;
  };
  const int small = text_height({854, 480});
  const int large = text_height({3840, 2160});
  CHECK(small > 10);
  CHECK(large > 3 * small);
}
