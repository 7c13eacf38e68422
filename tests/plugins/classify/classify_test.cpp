// The classify plugin with the real classifiers of the model manifest.
#include <catch2/catch.hpp>
#include <opencv2/imgproc.hpp>
#include <set>

#include "plugin_runner.hpp"

using namespace neuropipe;
using namespace neuropipe::test;

namespace {

// Runs a fresh `classify` node over one picture and returns its result.
std::shared_ptr<const Classifications> classify(const cv::Mat& image, const nlohmann::json& params) {
  static const PluginRunner runner("classify");
  Frame frame(image, FrameOrigin{});
  runner.node(params, "classify")->process(frame);
  auto result = frame.get_as<Classifications>("classify");
  REQUIRE(result);
  return result;
}

std::string top_label(const std::string& image, const std::string& model) {
  auto result = classify(read_image(image), {{"model", model}});
  REQUIRE(!result->top.empty());
  return result->top.front().label;
}

}  // namespace

TEST_CASE("SqueezeNet fp32 names the animals of the reference pictures", "[classify][integration]") {
  auto kitten = classify(read_image("media/image/kitten_224.png"), {{"model", "squeezenet1.0-fp32"}});
  REQUIRE(kitten->top.size() == 5);
  CHECK(kitten->top[0].label == "tabby");
  CHECK(kitten->top[0].class_id == 281);
  CHECK(kitten->top[0].score == Approx(0.93).margin(0.05));  // ONNX Runtime's score, SOURCES.md
  for (size_t i = 1; i < kitten->top.size(); ++i) CHECK(kitten->top[i - 1].score >= kitten->top[i].score);

  CHECK(top_label("media/image/dog.jpg", "squeezenet1.0-fp32") == "golden retriever");
  CHECK(top_label("media/image/cat.jpg", "squeezenet1.0-fp32") == "tabby");
}

TEST_CASE("SqueezeNet fp16 (fp16 input and output) agrees with fp32", "[classify][integration]") {
  for (const char* image : {"media/image/kitten_224.png", "media/image/dog.jpg", "media/image/cat.jpg"}) {
    INFO(image);
    auto half = classify(read_image(image), {{"model", "squeezenet1.0-fp16"}, {"top_k", 1}});
    auto full = classify(read_image(image), {{"model", "squeezenet1.0-fp32"}, {"top_k", 1}});
    REQUIRE(half->top.size() == 1);
    CHECK(half->top[0].class_id == full->top[0].class_id);
    CHECK(half->top[0].score == Approx(full->top[0].score).margin(0.02));
  }
}

TEST_CASE("classify JSON is a list of label, score and class_id", "[classify][integration]") {
  auto result = classify(read_image("media/image/kitten_224.png"), {{"top_k", 2}});
  const auto json = result->to_json();
  REQUIRE(json.is_array());
  REQUIRE(json.size() == 2);
  CHECK(json[0]["label"] == "tabby");
  CHECK(json[0]["class_id"] == 281);
  CHECK(json[0]["score"].get<double>() > 0.5);
}

TEST_CASE("min_score drops unlikely labels", "[classify][integration]") {
  auto result = classify(read_image("media/image/dog.jpg"), {{"top_k", 5}, {"min_score", 0.3}});
  REQUIRE(result->top.size() == 1);
  CHECK(result->top[0].label == "golden retriever");
}

TEST_CASE("MNIST CNN (grey, logits) reads a drawn digit", "[classify][integration]") {
  // White digit on black, as in MNIST; the model decodes logits to probabilities.
  cv::Mat digit = cv::Mat::zeros(112, 112, CV_8UC3);
  cv::putText(digit, "7", {28, 92}, cv::FONT_HERSHEY_SIMPLEX, 3.0, cv::Scalar::all(255), 12);
  auto result = classify(digit, {{"model", "mnist-cnn"}, {"top_k", 10}});
  REQUIRE(result->top.size() == 10);
  CHECK(result->top[0].label == "7");
  double sum = 0;
  for (const auto& c : result->top) sum += c.score;
  CHECK(sum == Approx(1.0).epsilon(1e-3));
}

TEST_CASE("CIFAR-10 tutorial CNN (RGB, mean/std, logits) gives ten labelled probabilities",
          "[classify][integration]") {
  auto result =
      classify(read_image("media/image/dog.jpg"), {{"model", "cifar10-tutorial-cnn"}, {"top_k", 10}});
  REQUIRE(result->top.size() == 10);
  std::set<std::string> labels;
  double sum = 0;
  for (const auto& c : result->top) labels.insert(c.label), sum += c.score;
  CHECK(labels == std::set<std::string>{"plane", "car", "bird", "cat", "deer", "dog", "frog", "horse", "ship",
                                        "truck"});
  CHECK(sum == Approx(1.0).epsilon(1e-3));
}

TEST_CASE("ROI mode classifies each detected box on its own", "[classify][integration]") {
  // The kitten and the dog side by side; one box on each.
  cv::Mat kitten = read_image("media/image/kitten_224.png"), dog = read_image("media/image/dog.jpg");
  cv::resize(dog, dog, {kitten.rows * dog.cols / dog.rows, kitten.rows});
  cv::Mat both;
  cv::hconcat(kitten, dog, both);
  auto boxes = std::make_shared<Detections>();
  boxes->items.resize(2);
  boxes->items[0].box = cv::Rect2f(0, 0, float(kitten.cols), float(kitten.rows));
  boxes->items[1].box = cv::Rect2f(float(kitten.cols), 0, float(dog.cols), float(dog.rows));

  static const PluginRunner runner("classify");
  Frame frame(both, FrameOrigin{});
  frame.put("detect", boxes);
  runner.node({{"roi_from", "detect"}, {"top_k", 1}}, "classify")->process(frame);
  auto result = frame.get_as<Classifications>("classify");
  REQUIRE(result);
  REQUIRE(result->per_roi.size() == 2);
  CHECK(result->per_roi[0].at(0).label == "tabby");
  CHECK(result->per_roi[1].at(0).label == "golden retriever");
  CHECK(result->to_json().size() == 2);  // one list per box
}

TEST_CASE("temporal smoothing keeps the earlier label through one odd frame", "[classify][integration]") {
  static const PluginRunner runner("classify");
  auto node = runner.node({{"smoothing", 0.8}, {"top_k", 1}}, "classify");
  const cv::Mat kitten = read_image("media/image/kitten_224.png"), dog = read_image("media/image/dog.jpg");
  std::vector<std::string> labels;
  int index = 0;
  for (const cv::Mat& image : {kitten, kitten, dog}) {
    FrameOrigin origin;
    origin.index = index++;
    Frame frame(image, origin);
    node->process(frame);
    labels.push_back(frame.get_as<Classifications>("classify")->top.at(0).label);
  }
  CHECK(labels == std::vector<std::string>{"tabby", "tabby", "tabby"});
  // Without smoothing the dog frame is a dog.
  CHECK(top_label("media/image/dog.jpg", "squeezenet1.0-fp32") == "golden retriever");
}

TEST_CASE("temporal smoothing starts afresh for each item of a batch", "[classify][integration]") {
  // neuropipe batch lends one node to every file and calls finish() after each;
  // each file's frames start at index 0.
  static const PluginRunner runner("classify");
  auto node = runner.node({{"smoothing", 0.8}, {"top_k", 1}}, "classify");
  auto label = [&](const char* image) {
    Frame frame(read_image(image), FrameOrigin{});
    node->process(frame);
    return frame.get_as<Classifications>("classify")->top.at(0).label;
  };
  CHECK(label("media/image/kitten_224.png") == "tabby");
  node->finish();
  CHECK(label("media/image/dog.jpg") == "golden retriever");  // not averaged with the kitten
}

TEST_CASE("classify errors name the bad model or missing ROI source", "[classify][integration]") {
  const cv::Mat kitten = read_image("media/image/kitten_224.png");
  CHECK_THROWS_WITH(classify(kitten, {{"model", "no-such-net"}}), Catch::Contains("no-such-net"));
  static const PluginRunner runner("classify");
  Frame frame(kitten, FrameOrigin{});
  CHECK_THROWS_WITH(runner.node({{"roi_from", "faces"}}, "classify")->process(frame),
                    Catch::Contains("faces"));
}

TEST_CASE("a batch of frames through a free-batch model gives the per-frame results",
          "[classify][integration]") {
  static const PluginRunner runner("classify");
  auto node = runner.node({{"model", "cifar10-tutorial-cnn"}, {"top_k", 3}}, "classify");
  std::vector<std::unique_ptr<Frame>> frames;
  for (const char* image : {"media/image/cat.jpg", "media/image/dog.jpg", "media/image/opencv_fruits.jpg"})
    frames.push_back(std::make_unique<Frame>(read_image(image), FrameOrigin{}));
  std::vector<Frame*> batch;
  for (auto& f : frames) batch.push_back(f.get());
  node->process_batch(batch);
  for (auto& f : frames) {
    auto batched = f->get_as<Classifications>("classify");
    REQUIRE(batched);
    auto single = classify(f->image(), {{"model", "cifar10-tutorial-cnn"}, {"top_k", 3}});
    REQUIRE(batched->top.size() == 3);
    for (size_t i = 0; i < 3; ++i) {
      CHECK(batched->top[i].class_id == single->top[i].class_id);
      CHECK(batched->top[i].score == Approx(single->top[i].score).margin(1e-4));
    }
  }
}
