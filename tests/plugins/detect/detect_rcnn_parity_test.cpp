// Label parity of the Faster R-CNN path: the plugin's whole output on a real
// photo (its pre-processing, the engine, its post-processing) against the
// PyTorch reference written by tools/export/export_models.py (deterministic
// random weights, box_score_thresh=0 so every one of the 100 boxes counts).
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <opencv2/imgcodecs.hpp>
#include <vector>

#include "detect_node.hpp"
#include "reference_values.hpp"

using namespace neuropipe;
using namespace neuropipe::test;

namespace {

const std::string kModel = "fasterrcnn_mobilenet_v3_large_320_fpn";

std::filesystem::path export_file(const std::string& suffix) {
  return neuropipe::test::export_file(kModel + suffix, "/usr/bin/python3.11 tools/export/export_models.py " + kModel);
}

std::vector<double> read_reference(const std::string& suffix) { return read_reference_values(export_file(suffix)); }

}  // namespace

TEST_CASE("faster r-cnn detections on messi5.jpg match PyTorch", "[detect][parity]") {
  const std::vector<double> boxes = read_reference(".output_0.pb");
  const std::vector<double> labels = read_reference(".output_1.pb");
  const std::vector<double> scores = read_reference(".output_2.pb");
  REQUIRE(boxes.size() == 4 * labels.size());

  DetectNode detect({{"model", "fasterrcnn-mobilenet-v3-large-320-fpn"},
                     {"model_file", export_file(".onnx").string()},
                     {"score_threshold", 0.0},
                     {"max_detections", 1000}});
  const cv::Mat photo = cv::imread(shared_file("media/image/opencv_messi5.jpg").string(), cv::IMREAD_COLOR);
  const Detections found = detect.run(photo);

  // With random weights many scores differ by less than the engine's float
  // error (1e-5), so such near-ties may come out in either order: every
  // detection must equal a reference detection of (nearly) the same score,
  // the same label and box, each reference used once; the score sequence
  // itself must be sorted. A detection in the last 5% of the ranking may
  // differ: a near-tie earlier on can push another box over the 100 cut.
  REQUIRE(found.items.size() == labels.size());
  const double tie = 1e-4;
  std::vector<bool> used(labels.size(), false);
  double max_rel_err = 0;
  int matched = 0, moved = 0, tied = 0;
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
      moved += k != i;
      break;
    }
    // Which of several boxes scoring within 1e-5 of each other survive the
    // RPN's top-N cuts and NMS is decided by float noise: such a box must at
    // least tie (same label, same score) with a reference box.
    if (matched == matched_before && i >= labels.size() - labels.size() / 20)
      ++tied;
    else if (matched == matched_before)
      for (size_t k = 0; k < labels.size(); ++k)
        if (d.class_id == int(labels[k]) && std::abs(d.score - scores[k]) <= tie) {
          ++tied;
          break;
        }
  }
  std::cout << "parity detect max_rel_err=" << max_rel_err << " matched=" << matched << "/" << labels.size()
            << " (" << moved << " of them in another order among near-ties; " << tied
            << " others tie a reference detection or sit at the cut)" << std::endl;
  CHECK(matched >= int(labels.size()) * 9 / 10);
  // Random heads leave many boxes within float noise of each other, so a few
  // survivors of the RPN/NMS cuts can differ without any score tie to show
  // for it (measured: 1 of 100). Strict equality needs real weights.
  CHECK(matched + tied >= int(labels.size()) * 98 / 100);
  CHECK(max_rel_err < 1e-3);
  CHECK(std::is_sorted(found.items.begin(), found.items.end(),
                       [](const Detection& a, const Detection& b) { return a.score > b.score; }));
  // Category ids are named from torchvision's 91-entry COCO list.
  for (const auto& d : found.items) CHECK(d.label.rfind("class ", 0) != 0);
}
