// Every real model in ../shared/models runs in the engine and matches ONNX
// Runtime on a real photo: 1e-4 relative (fp16 model: 1e-2). Where
// SOURCES.md states an expected result, it is checked too.
#include <algorithm>
#include <iostream>

#include <catch2/catch.hpp>

#include "neuropipe/models/store.hpp"
#include "neuropipe/nn/model.hpp"
#include "parity_support.hpp"
#include "peers/peer.hpp"
#include "test_support.hpp"

namespace np = neuropipe;
using np::nn::Tensor;

namespace {

np::models::ModelStore& store() {
  static np::models::ModelStore s(np::models::StoreConfig::from_environment());
  return s;
}

struct ParityRun {
  np::nn::NamedTensors ours;
  std::map<std::string, Tensor> reference;
};

// Runs `model` on `photo` in NeuroPipe and ONNX Runtime and checks every
// output; returns both sets of outputs for extra checks.
ParityRun check_parity(const std::string& model, const std::string& photo, double tolerance) {
  const auto& entry = store().info(model);
  REQUIRE(entry.input.has_value());
  const auto path = np::test::shared_file("models/" + entry.file);
  Tensor input = np::test::input_from_photo(photo, *entry.input);

  np::nn::Session session(np::nn::Model::load(path));
  ParityRun run;
  run.ours = session.run({{entry.input->tensor, input}});
  for (auto& out : np::bench::onnxruntime_infer(path.string(), {{entry.input->tensor, input}}))
    run.reference[out.name] = out.tensor;

  double worst = 0.0;
  std::string per_output;
  for (const auto& [name, ref] : run.reference) {
    INFO("model " << model << ", output " << name);
    REQUIRE(run.ours.count(name) == 1);
    const double err = np::test::max_rel_err(run.ours.at(name), ref);
    per_output += " " + name + "=" + std::to_string(err);
    worst = std::max(worst, err);
  }
  std::cout << "parity " << model << " max_rel_err=" << worst << " (" << per_output.substr(1) << ")" << std::endl;
  CHECK(worst <= tolerance);
  return run;
}

int argmax(const Tensor& t) {
  Tensor f = t.to(np::nn::DType::f32);
  auto s = f.span<float>();
  return static_cast<int>(std::max_element(s.begin(), s.end()) - s.begin());
}

}  // namespace

TEST_CASE("parity squeezenet1.0-fp32: kitten, dog and cat photos", "[parity]") {
  auto labels = store().labels("squeezenet1.0-fp32");
  auto kitten = check_parity("squeezenet1.0-fp32", "image/kitten_224.png", 1e-4);
  CHECK(labels.at(static_cast<size_t>(argmax(kitten.ours.at("softmaxout_1")))).find("tabby") != std::string::npos);
  auto dog = check_parity("squeezenet1.0-fp32", "image/dog.jpg", 1e-4);
  CHECK(labels.at(static_cast<size_t>(argmax(dog.ours.at("softmaxout_1")))).find("golden retriever") !=
        std::string::npos);
  auto cat = check_parity("squeezenet1.0-fp32", "image/cat.jpg", 1e-4);
  CHECK(labels.at(static_cast<size_t>(argmax(cat.ours.at("softmaxout_1")))).find("tabby") != std::string::npos);
}

TEST_CASE("parity squeezenet1.0-fp16: fp16 weights and I/O", "[parity]") {
  auto labels = store().labels("squeezenet1.0-fp16");
  auto kitten = check_parity("squeezenet1.0-fp16", "image/kitten_224.png", 1e-2);
  CHECK(labels.at(static_cast<size_t>(argmax(kitten.ours.at("softmaxout_1")))).find("tabby") != std::string::npos);
}

TEST_CASE("parity mnist-cnn", "[parity]") { check_parity("mnist-cnn", "image/skimage_camera.png", 1e-4); }
TEST_CASE("parity cifar10-tutorial-cnn", "[parity]") { check_parity("cifar10-tutorial-cnn", "image/cat.jpg", 1e-4); }

TEST_CASE("parity deeplabv3-mobilenetv2-voc: cat covers about a quarter", "[parity]") {
  auto run = check_parity("deeplabv3-mobilenetv2-voc", "image/cat.jpg", 1e-4);
  const Tensor& logits = run.ours.begin()->second;  // [1,257,257,21]
  REQUIRE(logits.rank() == 4);
  const int64_t pixels = logits.dim(1) * logits.dim(2), classes = logits.dim(3);
  int64_t cat_pixels = 0;
  for (int64_t p = 0; p < pixels; ++p) {
    const float* v = logits.data<float>() + p * classes;
    if (std::max_element(v, v + classes) - v == 8) ++cat_pixels;  // VOC class 8 = cat
  }
  const double fraction = double(cat_pixels) / double(pixels);
  INFO("cat fraction " << fraction);
  CHECK(fraction > 0.18);
  CHECK(fraction < 0.32);
}

TEST_CASE("parity selfie-person", "[parity]") { check_parity("selfie-person", "image/skimage_astronaut.png", 1e-4); }
TEST_CASE("parity ultraface-rfb-320", "[parity]") { check_parity("ultraface-rfb-320", "faces/faceapi-sample1.jpg", 1e-4); }
TEST_CASE("parity ultraface-rfb-320-raw", "[parity]") {
  check_parity("ultraface-rfb-320-raw", "faces/faceapi-sample1.jpg", 1e-4);
}
TEST_CASE("parity yunet-n-320", "[parity]") { check_parity("yunet-n-320", "faces/faceapi-sample2.jpg", 1e-4); }
TEST_CASE("parity yunet-n-dynamic", "[parity]") { check_parity("yunet-n-dynamic", "faces/faceapi-sample2.jpg", 1e-4); }
TEST_CASE("parity faceapi-ssd-mobilenetv1", "[parity]") {
  check_parity("faceapi-ssd-mobilenetv1", "faces/faceapi-sample3.jpg", 1e-4);
}
TEST_CASE("parity faceapi-resnet34-128d", "[parity]") {
  check_parity("faceapi-resnet34-128d", "faces/faceapi-sample4.jpg", 1e-4);
}
TEST_CASE("parity faceres-1024d", "[parity]") { check_parity("faceres-1024d", "faces/faceapi-sample5.jpg", 1e-4); }
TEST_CASE("parity centernet-mnv3-coco", "[parity]") {
  check_parity("centernet-mnv3-coco", "image/skimage_astronaut.png", 1e-4);
}
TEST_CASE("parity centernet-mnv3-coco-heads", "[parity]") {
  check_parity("centernet-mnv3-coco-heads", "image/skimage_astronaut.png", 1e-4);
}
TEST_CASE("parity johnson style transfer (candy, mosaic, udnie, la_muse)", "[parity]") {
  for (const char* style : {"johnson-candy", "johnson-mosaic", "johnson-udnie", "johnson-la_muse"})
    check_parity(style, "image/opencv_fruits.jpg", 1e-4);
}
TEST_CASE("parity cyclegan-horse2zebra-compressed", "[parity]") {
  check_parity("cyclegan-horse2zebra-compressed", "image/skimage_chelsea.png", 1e-4);
}
