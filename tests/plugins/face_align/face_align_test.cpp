// face_align (the similarity estimate itself: face_similarity_test.cpp): real
// faces land on the descriptor model's template (checked by running the
// detector again on the aligned crop), and aligned crops make the descriptor
// of a rolled, smaller copy of a face closer to the original's.
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <neuropipe/models/store.hpp>
#include <opencv2/imgproc.hpp>

#include "face_aligner.hpp"
#include "plugin_runner.hpp"

using namespace neuropipe;
using namespace neuropipe::test;

namespace {

const char* const kPhotos[] = {"faceapi-sample1.jpg", "faceapi-sample2.jpg", "faceapi-sample3.jpg",
                               "faceapi-sample4.jpg", "faceapi-sample5.jpg", "faceapi-sample6.jpg"};

const PluginRunner& runner(const std::string& plugin) {
  static std::map<std::string, std::unique_ptr<PluginRunner>> runners;
  auto& r = runners[plugin];
  if (!r) r = std::make_unique<PluginRunner>(plugin);
  return *r;
}

std::shared_ptr<const Detections> detect(Frame& frame, int input_size = 640) {
  runner("face_detect")
      .node({{"model", "yunet-n-dynamic"}, {"input_size", input_size}}, "faces")
      ->process(frame);
  return frame.get_as<Detections>("faces");
}

// detect -> (align ->) embed, as pipelines/faces.yaml chains them.
std::vector<Detection> embedded_faces(const cv::Mat& image, const std::string& model, bool align) {
  Frame frame(image, FrameOrigin{});
  detect(frame);
  if (align) runner("face_align").node({{"model", model}, {"faces_from", "faces"}}, "align")->process(frame);
  runner("face_embed")
      .node({{"model", model}, {"faces_from", align ? "align" : "faces"}}, "embed")
      ->process(frame);
  auto result = frame.get_as<Detections>("embed");
  REQUIRE(result);
  return result->items;
}

cv::Point2f apply(const cv::Matx23f& m, cv::Point2f p) {
  return {m(0, 0) * p.x + m(0, 1) * p.y + m(0, 2), m(1, 0) * p.x + m(1, 1) * p.y + m(1, 2)};
}

cv::Point2f centre(const Detection& d) { return (d.box.tl() + d.box.br()) * 0.5f; }

float euclidean(const std::vector<float>& a, const std::vector<float>& b) {
  REQUIRE(a.size() == b.size());
  float sum = 0.f;
  for (size_t i = 0; i < a.size(); ++i) sum += (a[i] - b[i]) * (a[i] - b[i]);
  return std::sqrt(sum);
}

}  // namespace

TEST_CASE("face_align puts the eyes on the template's eyes, also for a rolled head",
          "[face_align][integration]") {
  const auto store = models::ModelStore::from_environment();
  const auto aligner = face::FaceAligner::for_model(store.info("faceres-1024d"), 0.f);
  const auto& template_points = aligner.template_points();
  REQUIRE(aligner.crop_size() == cv::Size(224, 224));

  // The template's eye distance: errors are judged against it.
  const double eye_distance = cv::norm(template_points[1] - template_points[0]);
  const cv::Mat photo = read_image("media/faces/faceapi-sample5.jpg");
  for (double roll : {0.0, 25.0}) {
    cv::Mat rolled;  // the whole picture turned about its centre
    const cv::Mat turn = cv::getRotationMatrix2D(cv::Point2f(photo.cols / 2.f, photo.rows / 2.f), roll, 1.0);
    cv::warpAffine(photo, rolled, turn, photo.size());
    Frame frame(rolled, FrameOrigin{});
    const auto faces = detect(frame);
    runner("face_align").node({{"model", "faceres-1024d"}, {"faces_from", "faces"}}, "align")->process(frame);
    const auto aligned = frame.get_as<Detections>("align");
    REQUIRE(aligned->items.size() == faces->items.size());
    CHECK(faces->items.size() >= 4);  // the rolled picture loses a face at its corner at most
    double error_sum = 0, worst = 0;
    int eyes_measured = 0;
    for (const auto& face : aligned->items) {
      REQUIRE(face.aligned);
      CHECK(face.aligned->method == "landmarks");
      REQUIRE(face.aligned->crop.size() == cv::Size(224, 224));
      // The detector again, on the crop centred in a canvas twice its size.
      cv::Mat canvas = cv::Mat::zeros(448, 448, CV_8UC3);
      face.aligned->crop.copyTo(canvas(cv::Rect(112, 112, 224, 224)));
      Frame again(canvas, FrameOrigin{});
      const auto found = detect(again, 448);
      REQUIRE(found->items.size() == 1);
      const auto& eyes = found->items.front().landmarks;
      REQUIRE(eyes.size() == 5);
      for (int k = 0; k < 2; ++k) {
        const double error = cv::norm(eyes[k] - cv::Point2f(112, 112) - template_points[k]);
        INFO("roll " << roll << ", face at " << face.box << ", eye " << k << " off by " << error << " px");
        CHECK(error < 0.4 * eye_distance);  // 5 points fitted in least squares: the eyes alone are not exact
        error_sum += error;
        worst = std::max(worst, error);
        ++eyes_measured;
      }
    }
    const double mean = error_sum / eyes_measured;
    WARN("roll " << roll << " deg: eyes found on the 224x224 aligned crops are " << mean << " px (mean), "
                 << worst << " px (worst) from the template's; template eye distance " << eye_distance
                 << " px");
    // Upright: ~7.5 px; rolled 25 deg ~14 px, YuNet's landmarks being less
    // accurate on rolled heads (the crop itself is upright either way).
    CHECK(mean < (roll == 0.0 ? 0.15 : 0.25) * eye_distance);
  }
}

TEST_CASE("aligned crops bring a rolled, smaller copy of each face closer", "[face_align][integration]") {
  // Two pictures of the same 22 people: the photo, and the photo turned 20
  // degrees and shrunk to 60% (a second camera). The descriptor model is the
  // 128-D ResNet-34 (same person below 0.6).
  const std::string model = "faceapi-resnet34-128d";
  double box_sum = 0, aligned_sum = 0;
  float box_worst = 0, aligned_worst = 0;
  int pairs = 0, box_over = 0, aligned_over = 0;  // pairs at or above the 0.6 same-person threshold
  for (const char* photo_name : kPhotos) {
    const cv::Mat photo = read_image(std::string("media/faces/") + photo_name);
    const cv::Mat turn = cv::getRotationMatrix2D(cv::Point2f(photo.cols / 2.f, photo.rows / 2.f), 20.0, 0.6);
    cv::Mat second;
    cv::warpAffine(photo, second, turn, photo.size());
    for (bool align : {false, true}) {
      const auto first_faces = embedded_faces(photo, model, align);
      const auto second_faces = embedded_faces(second, model, align);
      for (const auto& face : first_faces) {
        const cv::Point2f expected = apply(cv::Matx23f(turn), centre(face));
        const auto same =
            std::min_element(second_faces.begin(), second_faces.end(), [&](const auto& a, const auto& b) {
              return cv::norm(centre(a) - expected) < cv::norm(centre(b) - expected);
            });
        if (same == second_faces.end() || cv::norm(centre(*same) - expected) > 0.2 * face.box.width * 0.6)
          continue;
        const float d = euclidean(face.embedding, same->embedding);
        INFO(photo_name << " face at " << face.box << (align ? " aligned: " : " box crop: ") << d);
        if (align) {
          aligned_sum += d;
          aligned_worst = std::max(aligned_worst, d);
          aligned_over += d >= 0.6f;
          ++pairs;
        } else {
          box_sum += d;
          box_worst = std::max(box_worst, d);
          box_over += d >= 0.6f;
        }
      }
    }
  }
  WARN("same person, rolled 20 deg + 60% size, "
       << pairs << " faces: euclidean distance box crop mean " << box_sum / pairs << " worst " << box_worst
       << " (" << box_over << " >= 0.6), aligned mean " << aligned_sum / pairs << " worst " << aligned_worst
       << " (" << aligned_over << " >= 0.6)");
  CHECK(pairs >= 18);
  CHECK(aligned_sum < box_sum);
  CHECK(aligned_over <= box_over);
}

TEST_CASE("face_align without landmarks cuts a square box crop; embed still works alone",
          "[face_align][integration]") {
  Frame frame(read_image("media/faces/faceapi-sample1.jpg"), FrameOrigin{});
  runner("face_detect").node({{"model", "ultraface-rfb-320"}}, "faces")->process(frame);
  runner("face_align")
      .node({{"model", "faceapi-resnet34-128d"}, {"faces_from", "faces"}, {"margin", 0.1}}, "align")
      ->process(frame);
  const auto aligned = frame.get_as<Detections>("align");
  REQUIRE(aligned->items.size() == 3);
  for (const auto& face : aligned->items) {
    REQUIRE(face.aligned);
    CHECK(face.aligned->method == "box");
    CHECK(face.aligned->crop.size() == cv::Size(150, 150));
    // The box centre maps to the crop centre; the longer side + 2 x 10% fills the crop.
    const cv::Point2f c = apply(face.aligned->transform, centre(face));
    CHECK(c.x == Approx(75.f).margin(0.01));
    CHECK(c.y == Approx(75.f).margin(0.01));
    CHECK(face.aligned->transform(0, 0) ==
          Approx(150.f / (std::max(face.box.width, face.box.height) * 1.2f)).epsilon(1e-4));
    const auto j = aligned->to_json();
    CHECK(j.at(0).at("aligned").at("method") == "box");
  }
  // A descriptor for another model's crop size is refused with both sizes named.
  CHECK_THROWS_WITH(runner("face_embed")
                        .node({{"model", "faceres-1024d"}, {"faces_from", "align"}}, "embed")
                        ->process(frame),
                    Catch::Contains("150x150") && Catch::Contains("224x224"));
}
