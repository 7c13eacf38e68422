#include "draw_detections.hpp"

#include <cstdio>

#include <opencv2/imgproc.hpp>

#include "draw_text.hpp"
#include "palette.hpp"

namespace neuropipe::overlay {

namespace {

// "person 0.87 #12 alice": what is known about the detection, in that order.
std::string caption_for(const Detection& d, const DetectionOptions& options) {
  std::string text;
  auto add = [&](const std::string& part) { text += (text.empty() ? "" : " ") + part; };
  if (options.labels) add(!d.label.empty() ? d.label : d.class_id >= 0 ? "class " + std::to_string(d.class_id) : "");
  if (options.scores) {
    char score[16];
    std::snprintf(score, sizeof score, "%.2f", d.score);
    add(score);
  }
  if (options.identities && d.track_id >= 0) add("#" + std::to_string(d.track_id));
  if (options.identities && !d.identity.empty()) add(d.identity);
  return text;
}

// Tracked objects keep their colour across frames; others are coloured by class.
cv::Scalar color_of(const Detection& d) { return color_for(d.track_id >= 0 ? d.track_id : d.class_id); }

}  // namespace

void draw_detections(cv::Mat& image, const std::vector<const Detection*>& detections,
                     const DetectionOptions& options, const Style& style) {
  for (const Detection* detection : detections) {
    const Detection& d = *detection;
    const cv::Scalar color = color_of(d);
    const cv::Rect box(d.box);
    if (options.boxes) cv::rectangle(image, box, color, style.line_thickness, cv::LINE_AA);
    if (options.landmarks)
      for (const auto& p : d.landmarks) cv::circle(image, p, style.point_radius, color, cv::FILLED, cv::LINE_AA);
    const std::string text = caption_for(d, options);
    if (text.empty()) continue;
    // Above the box when there is room, else just inside its top edge.
    const int label_height = static_cast<int>(30 * style.font_scale) + 2 * style.padding;
    const int y = box.y - label_height >= 0 ? box.y - label_height : box.y;
    draw_label(image, text, {box.x, y}, color, style);
  }
}

}  // namespace neuropipe::overlay
