// CenterNet MobileNetV3 with real COCO weights, both decoding paths (boxes
// decoded in the graph; heatmap peaks decoded by the plugin), on real videos.
#include <algorithm>
#include <catch2/catch.hpp>

#include "detect_node.hpp"
#include "neuropipe/error.hpp"

using namespace neuropipe;
using namespace neuropipe::test;

namespace {

// A standing or walking person: taller than wide, not a sliver, inside the frame.
bool sane_person(const Detection& d, cv::Size frame) {
  const cv::Rect2f& b = d.box;
  return d.label == "person" && b.width >= 8 && b.height >= 24 && b.height > b.width && b.x >= 0 &&
         b.y >= 0 && b.br().x <= frame.width && b.br().y <= frame.height && b.height < frame.height;
}

int count_people(const Detections& found, cv::Size frame) {
  return int(std::count_if(found.items.begin(), found.items.end(),
                           [&](const Detection& d) { return sane_person(d, frame); }));
}

float best_iou(const Detection& d, const Detections& others) {
  float best = 0.f;
  for (const auto& o : others.items) {
    const float overlap = (d.box & o.box).area();
    best = std::max(best, overlap / (d.box.area() + o.box.area() - overlap));
  }
  return best;
}

}  // namespace

TEST_CASE("centernet finds the pedestrians in vtest.avi with both decoding paths", "[detect][integration]") {
  DetectNode in_graph({{"model", "centernet-mnv3-coco"}, {"score_threshold", 0.3}, {"nms_iou", 0.5}});
  DetectNode on_host({{"model", "centernet-mnv3-coco-heads"}, {"score_threshold", 0.3}, {"nms_iou", 0.5}});
  for (int index : {0, 250, 500, 750}) {
    INFO("opencv_vtest.avi frame " << index);
    const cv::Mat frame = video_frame("opencv_vtest.avi", index);
    const Detections graph_boxes = in_graph.run(frame, index);
    const Detections host_boxes = on_host.run(frame, index);
    CHECK(count_people(graph_boxes, frame.size()) >= 2);
    CHECK(count_people(host_boxes, frame.size()) >= 2);
    // The host decoder reproduces the graph's own decoding: same people, same boxes.
    REQUIRE(!graph_boxes.items.empty());
    for (const auto& d : graph_boxes.items) {
      if (d.score < 0.4f) continue;
      INFO(d.label << " " << d.score << " at " << d.box);
      CHECK(best_iou(d, host_boxes) > 0.9f);
    }
  }
}

TEST_CASE("centernet finds the person walking through the intel one-by-one clip", "[detect][integration]") {
  // People stand at the table on frames 100, 400, 800, 1100 (person scores 0.26-0.72 here); on
  // frames 200 and 700 the room is empty and nothing scores 0.25 as a person.
  DetectNode people({{"model", "centernet-mnv3-coco"}, {"classes", {"person"}}, {"score_threshold", 0.25}});
  for (int index : {100, 400, 800, 1100}) {
    INFO("intel_one-by-one-person-detection.mp4 frame " << index);
    const cv::Mat frame = video_frame("intel_one-by-one-person-detection.mp4", index);
    const Detections found = people.run(frame, index);
    CHECK(count_people(found, frame.size()) >= 1);
    for (const auto& d : found.items) CHECK(d.label == "person");
  }
  for (int index : {200, 700}) {
    INFO("empty room, frame " << index);
    CHECK(people.run(video_frame("intel_one-by-one-person-detection.mp4", index), index).items.empty());
  }
}

TEST_CASE("detect parameters: class filter, max detections and clear errors", "[detect][integration]") {
  const cv::Mat frame = video_frame("opencv_vtest.avi", 250);
  const Detections all = DetectNode(nlohmann::json{{"score_threshold", 0.05}}).run(frame);
  const Detections two =
      DetectNode(nlohmann::json{{"score_threshold", 0.05}, {"max_detections", 2}}).run(frame);
  REQUIRE(all.items.size() > 2);
  REQUIRE(two.items.size() == 2);
  CHECK(two.items[0].score == all.items[0].score);
  CHECK(two.items[0].score >= two.items[1].score);

  CHECK_THROWS_WITH(DetectNode(nlohmann::json{{"classes", {"unicorn"}}}).run(frame),
                    Catch::Contains("unicorn"));
  CHECK_THROWS_WITH(DetectNode(nlohmann::json{{"model", "squeezenet1.0-fp32"}}).run(frame),
                    Catch::Contains("squeezenet1.0-fp32"));
  CHECK_THROWS_WITH(DetectNode(nlohmann::json{{"model", "fasterrcnn-mobilenet-v3-large-320-fpn"}}).run(frame),
                    Catch::Contains("tools/export"));
}
