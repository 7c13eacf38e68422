// face_embed on the face photos (22 different women, no person repeats):
// two different crops of the same face (full size, tight box vs half size,
// box grown by 5%) must be closer than any two different people's faces.
#include <catch2/catch.hpp>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "plugin_runner.hpp"

using namespace neuropipe;
using namespace neuropipe::test;

namespace {

const char* const kPhotos[] = {"faceapi-sample1.jpg", "faceapi-sample2.jpg", "faceapi-sample3.jpg",
                               "faceapi-sample4.jpg", "faceapi-sample5.jpg", "faceapi-sample6.jpg"};

// face_detect then face_embed on one picture, as a pipeline chains them.
std::vector<Detection> embedded_faces(const cv::Mat& image, const nlohmann::json& embed_params) {
  static const PluginRunner detector("face_detect");
  static const PluginRunner embedder("face_embed");
  Frame frame(image, FrameOrigin{});
  detector.node({{"model", "yunet-n-dynamic"}}, "faces")->process(frame);
  embedder.node(embed_params, "embed")->process(frame);
  auto result = frame.get_as<Detections>("embed");
  REQUIRE(result);
  REQUIRE(result->items.size() == frame.get_as<Detections>("faces")->items.size());
  return result->items;
}

float euclidean(const std::vector<float>& a, const std::vector<float>& b) {
  REQUIRE(a.size() == b.size());
  float sum = 0.f;
  for (size_t i = 0; i < a.size(); ++i) sum += (a[i] - b[i]) * (a[i] - b[i]);
  return std::sqrt(sum);
}

float cosine_distance(const std::vector<float>& a, const std::vector<float>& b) {
  float dot = 0.f;
  for (size_t i = 0; i < a.size(); ++i) dot += a[i] * b[i];
  return 1.f - dot;  // both unit length
}

struct Pair {
  std::vector<Detection> full, half;  // the same faces, matched by position
};

// Every photo's faces at full size and at half size with a wider crop,
// matched by box centre.
std::vector<Pair> two_crops_of_every_face(const std::string& model) {
  std::vector<Pair> pairs;
  for (const char* photo : kPhotos) {
    const cv::Mat image = read_image(std::string("media/faces/") + photo);
    cv::Mat half;
    cv::resize(image, half, {}, 0.5, 0.5, cv::INTER_AREA);
    Pair pair{embedded_faces(image, {{"model", model}}),
              embedded_faces(half, {{"model", model}, {"margin", 0.05}})};
    REQUIRE(pair.full.size() == pair.half.size());
    for (auto& face : pair.full) {
      auto centre = [](const Detection& d) { return (d.box.tl() + d.box.br()) * 0.5f; };
      auto nearest = std::min_element(pair.half.begin(), pair.half.end(), [&](const auto& a, const auto& b) {
        return cv::norm(centre(a) * 2.f - centre(face)) < cv::norm(centre(b) * 2.f - centre(face));
      });
      std::iter_swap(pair.half.begin() + (&face - pair.full.data()), nearest);
    }
    pairs.push_back(std::move(pair));
  }
  return pairs;
}

template <class Distance>
void check_same_face_closer_than_other_people(const std::vector<Pair>& pairs, Distance distance,
                                              float same_below) {
  std::vector<const Detection*> all;
  for (const auto& p : pairs)
    for (const auto& face : p.full) all.push_back(&face);
  REQUIRE(all.size() == 22);
  for (const auto& p : pairs)
    for (size_t i = 0; i < p.full.size(); ++i) {
      const float same = distance(p.full[i].embedding, p.half[i].embedding);
      float nearest_other = 1e9f;
      for (const Detection* other : all)
        if (other != &p.full[i])
          nearest_other = std::min(nearest_other, distance(p.half[i].embedding, other->embedding));
      INFO("face at " << p.full[i].box << ": same " << same << ", nearest other person " << nearest_other);
      CHECK(same < same_below);
      CHECK(same < nearest_other);
    }
}

}  // namespace

TEST_CASE("faceapi-resnet34-128d: the same face is closer than any other person",
          "[face_embed][integration]") {
  const auto pairs = two_crops_of_every_face("faceapi-resnet34-128d");
  REQUIRE(pairs.front().full.front().embedding.size() == 128);
  check_same_face_closer_than_other_people(pairs, euclidean, 0.6f);  // the model's same-person threshold
}

TEST_CASE("faceres-1024d: unit descriptors, same face closest, gender and age", "[face_embed][integration]") {
  const auto pairs = two_crops_of_every_face("faceres-1024d");
  for (const auto& p : pairs)
    for (const auto& face : p.full) {
      REQUIRE(face.embedding.size() == 1024);
      float norm = 0.f;
      for (float v : face.embedding) norm += v * v;
      CHECK(norm == Approx(1.f).margin(1e-4));
      CHECK(face.attributes["gender"] == "female");  // every person in these photos is a woman
      CHECK(face.attributes["age"].get<float>() > 15.f);
      CHECK(face.attributes["age"].get<float>() < 60.f);
    }
  check_same_face_closer_than_other_people(pairs, cosine_distance, 0.3f);  // cosine > 0.7 (manifest)
}

TEST_CASE("face_embed without detections names the missing input", "[face_embed][integration]") {
  static const PluginRunner embedder("face_embed");
  Frame frame(read_image("media/faces/faceapi-sample1.jpg"), FrameOrigin{});
  CHECK_THROWS_WITH(embedder.node({{"faces_from", "faces"}}, "embed")->process(frame),
                    Catch::Contains("no face detections") && Catch::Contains("faces"));
}
