// The overlay plugin on the metadata of the face chain: a face that
// face_detect, face_embed and face_identify each wrote is rendered exactly
// as if only face_identify's result were on the frame (one box, one label).
#include <catch2/catch.hpp>
#include <opencv2/imgproc.hpp>

#include "plugin_runner.hpp"

using namespace neuropipe;
using namespace neuropipe::test;

namespace {

std::shared_ptr<Detections> faces(bool identified) {
  auto list = std::make_shared<Detections>();
  for (cv::Rect2f box : {cv::Rect2f(100, 120, 90, 110), cv::Rect2f(400, 150, 70, 80)}) {
    Detection d;
    d.box = box;
    d.label = "face";
    d.class_id = 0;
    d.score = 0.93f;
    d.landmarks = {box.tl() + cv::Point2f(20, 30), box.tl() + cv::Point2f(60, 30)};
    if (identified) {
      d.track_id = int(list->items.size()) + 1;
      d.identity = d.track_id == 1 ? "alice" : "unknown-1";
      d.embedding = {0.5f, 0.5f};
    }
    list->items.push_back(d);
  }
  return list;
}

cv::Mat render(const std::vector<std::pair<std::string, std::shared_ptr<Detections>>>& metadata) {
  static const PluginRunner overlay("overlay");
  Frame frame(cv::Mat(480, 854, CV_8UC3, cv::Scalar(40, 40, 40)), FrameOrigin{});
  for (const auto& [node, list] : metadata) frame.put(node, list);
  overlay.node(nlohmann::json::object(), "overlay")->process(frame);
  return frame.image();
}

// Outer contours of what was drawn: one per face (box with its label band).
int drawn_shapes(const cv::Mat& image) {
  cv::Mat differs, ink;
  cv::absdiff(image, cv::Scalar(40, 40, 40), differs);
  cv::cvtColor(differs, differs, cv::COLOR_BGR2GRAY);
  cv::threshold(differs, ink, 0, 255, cv::THRESH_BINARY);
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(ink, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
  return int(contours.size());
}

}  // namespace

TEST_CASE("overlay draws each face of the face chain once, with its identity", "[overlay][integration]") {
  const cv::Mat chain = render({{"faces", faces(false)}, {"embed", faces(false)}, {"identify", faces(true)}});
  const cv::Mat identify_only = render({{"identify", faces(true)}});
  cv::Mat diff;
  cv::absdiff(chain, identify_only, diff);
  CHECK(cv::countNonZero(diff.reshape(1)) == 0);  // not a pixel of the earlier nodes' copies
  CHECK(drawn_shapes(chain) == 2);
}
