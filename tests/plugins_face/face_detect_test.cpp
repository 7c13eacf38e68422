// face_detect on the face photos: every visible face is found by every
// detector, boxes are sane, YuNet's landmarks fall inside their boxes.
#include <catch2/catch.hpp>

#include "plugin_runner.hpp"

using namespace neuropipe;
using namespace neuropipe::test;

namespace {

// Faces visible in each photo, counted by looking at them (all frontal or
// three-quarter; sample2's left woman is in profile).
const std::vector<std::pair<std::string, int>> kFacesPerPhoto = {
    {"faceapi-sample1.jpg", 3}, {"faceapi-sample2.jpg", 3}, {"faceapi-sample3.jpg", 3},
    {"faceapi-sample4.jpg", 4}, {"faceapi-sample5.jpg", 5}, {"faceapi-sample6.jpg", 4}};

std::shared_ptr<const Detections> detect(const cv::Mat& image, const nlohmann::json& params) {
  static const PluginRunner runner("face_detect");
  Frame frame(image, FrameOrigin{});
  runner.node(params, "faces")->process(frame);
  auto result = frame.get_as<Detections>("faces");
  REQUIRE(result);
  return result;
}

void check_sane(const Detection& face, cv::Size image) {
  CHECK(face.label == "face");
  CHECK(face.score > 0.f);
  CHECK(face.score <= 1.f);
  CHECK(face.box.x >= 0.f);
  CHECK(face.box.y >= 0.f);
  CHECK(face.box.br().x <= float(image.width));
  CHECK(face.box.br().y <= float(image.height));
  // Faces in these photos are 60..400 px wide and roughly as tall as wide.
  CHECK(face.box.width > 40.f);
  CHECK(face.box.width < 600.f);
  CHECK(face.box.height / face.box.width > 0.6f);
  CHECK(face.box.height / face.box.width < 2.2f);
}

}  // namespace

TEST_CASE("face_detect finds every visible face in the face photos", "[face_detect][integration]") {
  const auto model = GENERATE(as<std::string>{}, "yunet-n-dynamic", "yunet-n-320", "ultraface-rfb-320",
                              "ultraface-rfb-320-raw", "faceapi-ssd-mobilenetv1");
  for (const auto& [photo, count] : kFacesPerPhoto) {
    INFO(model << " on " << photo);
    const cv::Mat image = read_image("media/faces/" + photo);
    auto faces = detect(image, {{"model", model}});
    CHECK(int(faces->items.size()) == count);
    for (const auto& face : faces->items) check_sane(face, image.size());
  }
}

TEST_CASE("YuNet gives five landmarks inside each face box", "[face_detect][integration]") {
  const cv::Mat image = read_image("media/faces/faceapi-sample5.jpg");
  auto faces = detect(image, {{"model", "yunet-n-dynamic"}});
  REQUIRE(faces->items.size() == 5);
  for (const auto& face : faces->items) {
    REQUIRE(face.landmarks.size() == 5);
    cv::Rect2f grown(face.box.x - 5, face.box.y - 5, face.box.width + 10, face.box.height + 10);
    for (const auto& p : face.landmarks) CHECK(grown.contains(p));
    CHECK(face.landmarks[0].x < face.landmarks[1].x);  // right eye (image left) before left eye
  }
}

TEST_CASE("face_detect options: max_faces, min_face_size, batch of frames", "[face_detect][integration]") {
  const cv::Mat image = read_image("media/faces/faceapi-sample5.jpg");
  CHECK(detect(image, {{"max_faces", 2}})->items.size() == 2);
  CHECK(detect(image, {{"min_face_size", 5000}})->items.empty());

  static const PluginRunner runner("face_detect");
  auto node = runner.node({{"model", "yunet-n-dynamic"}}, "faces");
  Frame a(image, FrameOrigin{}), b(read_image("media/faces/faceapi-sample4.jpg"), FrameOrigin{});
  Frame c(image, FrameOrigin{});
  Frame* frames[] = {&a, &b, &c};
  node->process_batch(frames);
  CHECK(a.get_as<Detections>("faces")->items.size() == 5);
  CHECK(b.get_as<Detections>("faces")->items.size() == 4);
  const auto& first = a.get_as<Detections>("faces")->items;
  const auto& third = c.get_as<Detections>("faces")->items;
  REQUIRE(first.size() == third.size());
  for (size_t i = 0; i < first.size(); ++i) CHECK(first[i].box.x == Approx(third[i].box.x).margin(0.5));
}

TEST_CASE("face_detect rejects an unknown model by name", "[face_detect][integration]") {
  static const PluginRunner runner("face_detect");
  CHECK_THROWS_WITH(runner.node({{"model", "no-such-model"}}, "faces"), Catch::Contains("no-such-model"));
}
