// The detect plugin's ONNX model zoo FasterRCNN-10 path (manifest entry
// fasterrcnn-10-onnxzoo: shorter side scaled, BGR minus mean, zero-padded to
// multiples of 32, one [3,H,W] image; boxes in input pixels, labels 1..80 of
// COCO with background 0) on a real photo, against PyTorch's reference of the
// same path with a model of the same I/O contract built from the real
// torchvision architecture (tools/export/fasterrcnn_zoo_layout.py, seeded).
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iostream>
#include <opencv2/imgcodecs.hpp>
#include <vector>

#include "detect_node.hpp"
#include "reference_values.hpp"
#include "shorter_side_input.hpp"

using namespace neuropipe;
using namespace neuropipe::test;

namespace {

std::filesystem::path export_file(const std::string& suffix) {
  return neuropipe::test::export_file("fasterrcnn_zoo_layout" + suffix, "/usr/bin/python3.11 tools/export/fasterrcnn_zoo_layout.py");
}

std::vector<double> read_reference(const std::string& suffix) { return read_reference_values(export_file(suffix)); }

}  // namespace

TEST_CASE("zoo layout input: shorter side scaled, BGR minus mean, zero padding to multiples of 32",
          "[detect][unit]") {
  models::InputSpec spec;
  spec.tensor = "image";
  spec.color = models::ColorOrder::BGR;
  spec.mean = {102.9801f, 115.9465f, 122.7717f};
  spec.dynamic_size = true;
  CHECK(detect::shorter_side_size({768, 576}, 800) == cv::Size(1067, 800));  // a vtest.avi frame
  CHECK(detect::shorter_side_size({342, 548}, 800) == cv::Size(800, 1282));  // portrait
  cv::Mat frame(50, 70, CV_8UC3, cv::Scalar(10, 20, 30));                    // B, G, R
  const plugin::PreparedInput in = detect::prepare_shorter_side_input(frame, spec, 100, 32);
  // 70x50 -> 140x100, padded to 160x128
  REQUIRE(in.tensor.shape() == nn::Shape{1, 3, 128, 160});
  CHECK(in.fit.scale_x == Approx(2.0));
  CHECK(in.fit.scale_y == Approx(2.0));
  const float* t = in.tensor.data<float>();
  const auto at = [&](int c, int y, int x) { return t[(c * 128 + y) * 160 + x]; };
  CHECK(at(0, 0, 0) == Approx(10 - 102.9801));  // channel 0 is blue
  CHECK(at(2, 99, 139) == Approx(30 - 122.7717));
  CHECK(at(0, 100, 0) == 0.f);  // padding rows and columns are zero after the mean
  CHECK(at(1, 0, 140) == 0.f);
  CHECK(at(2, 127, 159) == 0.f);
  CHECK(in.fit.to_frame(cv::Rect2f(20, 40, 100, 50)) == cv::Rect2f(10, 20, 50, 25));
}

TEST_CASE("zoo-layout Faster R-CNN detections on messi5.jpg match PyTorch", "[detect][parity]") {
  const std::vector<double> boxes = read_reference(".plugin_boxes.pb");
  const std::vector<double> labels = read_reference(".output_1.pb");
  const std::vector<double> scores = read_reference(".output_2.pb");
  REQUIRE(boxes.size() == 4 * labels.size());

  // input_size 342 = the photo's shorter side: the reference path has no
  // resampling (OpenCV's 8-bit and PyTorch's float resize round differently).
  DetectNode detect({{"model", "fasterrcnn-10-onnxzoo"},
                     {"model_file", export_file(".onnx").string()},
                     {"input_size", 342},
                     {"score_threshold", 0.0},
                     {"max_detections", 1000}});
  const cv::Mat photo = cv::imread(shared_file("media/image/opencv_messi5.jpg").string(), cv::IMREAD_COLOR);
  REQUIRE(photo.size() == cv::Size(548, 342));
  const Detections found = detect.run(photo);

  // As in detect_rcnn_parity_test.cpp: random heads leave near-ties, so each
  // detection must equal an unused reference detection of the same label,
  // (nearly) the same score and the same box; a few at the 100 cut may differ.
  REQUIRE(found.items.size() == labels.size());
  const double tie = 1e-4;
  std::vector<bool> used(labels.size(), false);
  double max_rel_err = 0;
  int matched = 0, tied = 0;
  for (size_t i = 0; i < found.items.size(); ++i) {
    const Detection& d = found.items[i];
    const int matched_before = matched;
    for (size_t k = 0; k < labels.size(); ++k) {
      const double* ref = &boxes[4 * k];
      const double box_err =
          std::max({relative_error(d.box.x, ref[0]), relative_error(d.box.y, ref[1]),
                    relative_error(d.box.br().x, ref[2]), relative_error(d.box.br().y, ref[3])});
      if (used[k] || d.class_id != int(labels[k]) || std::abs(d.score - scores[k]) > tie || box_err > 1e-3)
        continue;
      used[k] = true;
      max_rel_err = std::max({max_rel_err, box_err, relative_error(d.score, scores[k])});
      ++matched;
      break;
    }
    if (matched != matched_before) continue;
    bool ties = i >= labels.size() - labels.size() / 20;
    for (size_t k = 0; k < labels.size() && !ties; ++k)
      ties = d.class_id == int(labels[k]) && std::abs(d.score - scores[k]) <= tie;
    tied += ties;
  }
  std::cout << "parity detect_zoo max_rel_err=" << max_rel_err << " matched=" << matched << "/" << labels.size()
            << " (" << tied << " others tie a reference detection or sit at the cut)" << std::endl;
  // Measured: 89/100 equal (max_rel_err 1.7e-6), 10 tie a reference
  // detection's label and score with another box of the same near-equal
  // score (which of them survives the RPN cuts and NMS is float noise with
  // random heads), 1 differs. Strict equality needs real weights.
  CHECK(matched >= int(labels.size()) * 85 / 100);
  CHECK(matched + tied >= int(labels.size()) * 98 / 100);
  CHECK(max_rel_err < 1e-3);
  CHECK(std::is_sorted(found.items.begin(), found.items.end(),
                       [](const Detection& a, const Detection& b) { return a.score > b.score; }));
  // Labels are the zoo's: 1..80 named from COCO's 80 classes, 0 = background.
  for (const auto& d : found.items) {
    CHECK(d.class_id >= 1);
    CHECK(d.class_id <= 80);
    CHECK(d.label != "N/A");
    CHECK(d.label.rfind("class ", 0) != 0);
  }
}
