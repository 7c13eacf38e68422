#pragma once
// Boxes with label and score, landmarks, and identities / track ids.
#include <opencv2/core.hpp>
#include <vector>

#include "neuropipe/metadata.hpp"
#include "style.hpp"

namespace neuropipe::overlay {

struct DetectionOptions {
  bool boxes = true;
  bool labels = true;
  bool scores = true;
  bool landmarks = true;
  bool identities = true;  // identity names and track ids
};

// Each of `detections` once (see draw_list.hpp for how refined copies are merged).
void draw_detections(cv::Mat& image, const std::vector<const Detection*>& detections,
                     const DetectionOptions& options, const Style& style);

}  // namespace neuropipe::overlay
