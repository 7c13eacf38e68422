// Exported architectures (tools/export/export_models.py, deterministic random
// weights) match PyTorch's own outputs: classifier logits 1e-4 relative;
// Faster R-CNN the same boxes (1e-3 relative), labels and score order.
#include <iostream>

#include <catch2/catch.hpp>

#include "neuropipe/nn/model.hpp"
#include "parity_support.hpp"
#include "test_support.hpp"

namespace np = neuropipe;
namespace fs = std::filesystem;

namespace {

fs::path export_file(const std::string& name, const std::string& suffix) {
  fs::path p = np::test::exports_dir() / (name + suffix);
  if (!fs::exists(p))
    FAIL("missing export " << p << ": run tools/export/export_models.py --set ci (the test command does)");
  return p;
}

void check_classifier(const std::string& name) {
  auto input = np::test::read_tensor_proto(export_file(name, ".input_0.pb"));
  auto expected = np::test::read_tensor_proto(export_file(name, ".output_0.pb"));
  np::nn::Session session(np::nn::Model::load(export_file(name, ".onnx")));
  auto out = session.run({{"input", input}});
  const double err = np::test::max_rel_err(out.at("logits"), expected);
  std::cout << "parity " << name << " max_rel_err=" << err << std::endl;
  CHECK(err <= 1e-4);
}

}  // namespace

TEST_CASE("parity export mobilenet_v2 vs PyTorch", "[parity]") { check_classifier("mobilenet_v2"); }
TEST_CASE("parity export resnet18 vs PyTorch", "[parity]") { check_classifier("resnet18"); }
TEST_CASE("parity export squeezenet1_1 vs PyTorch", "[parity]") { check_classifier("squeezenet1_1"); }

TEST_CASE("parity export fasterrcnn_mobilenet_v3_large_320_fpn vs PyTorch", "[parity]") {
  const std::string name = "fasterrcnn_mobilenet_v3_large_320_fpn";
  auto image = np::test::read_tensor_proto(export_file(name, ".input_0.pb"));
  auto boxes = np::test::read_tensor_proto(export_file(name, ".output_0.pb"));
  auto labels = np::test::read_tensor_proto(export_file(name, ".output_1.pb"));
  auto scores = np::test::read_tensor_proto(export_file(name, ".output_2.pb"));
  np::nn::Session session(np::nn::Model::load(export_file(name, ".onnx")));
  auto out = session.run({{"image", image}});
  REQUIRE(out.at("boxes").shape() == boxes.shape());
  CHECK(out.at("labels").to_int64_vector() == labels.to_int64_vector());
  const double box_err = np::test::max_rel_err(out.at("boxes"), boxes);
  const double score_err = np::test::max_rel_err(out.at("scores"), scores);
  std::cout << "parity " << name << " max_rel_err=" << std::max(box_err, score_err) << " (boxes " << box_err
            << ", scores " << score_err << ", " << boxes.dim(0) << " detections)" << std::endl;
  CHECK(box_err <= 1e-3);
  CHECK(score_err <= 1e-3);
  auto s = out.at("scores").span<float>();
  CHECK(std::is_sorted(s.begin(), s.end(), std::greater<float>()));
}
