#pragma once
// Typed results that nodes attach to a frame. Later nodes read them (overlay
// draws them, face_identify reads face detections), sinks serialise them.
// Every item is immutable once attached: a node that refines a result writes
// a new item under its own key.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

namespace neuropipe {

// Base of every metadata item. kind() is the metadata kind that nodes declare
// they read or write ("classifications", "detections", "mask", "caption",
// "image"); to_json() is what the JSON-lines sink writes under the node's name.
class Metadata {
 public:
  virtual ~Metadata() = default;
  virtual std::string_view kind() const = 0;
  virtual nlohmann::json to_json() const = 0;
};

struct Classification {
  int class_id = -1;
  std::string label;
  float score = 0.f;
};

// Top-k labels for the whole frame or, in ROI mode, for one box of a
// previous node's detections (roi_index).
struct Classifications final : Metadata {
  std::vector<Classification> top;            // best first
  std::optional<cv::Rect2f> roi;              // pixels, when classifying a region
  std::vector<std::vector<Classification>> per_roi;  // ROI mode: one list per box
  std::string_view kind() const override { return "classifications"; }
  nlohmann::json to_json() const override;
};

// A face warped onto a descriptor model's landmark template by face_align,
// so face_embed describes the same face geometry whatever the head pose.
struct AlignedFace {
  cv::Mat crop;                  // BGR, the descriptor model's input size
  cv::Matx23f transform;         // frame pixels -> crop pixels (a similarity: rotation, scale, shift)
  std::string method;            // "landmarks" (least squares from 5 points) or "box" (box + margin)
};

struct Detection {
  cv::Rect2f box;                          // pixels of the frame, x,y,w,h
  int class_id = -1;
  std::string label;
  float score = 0.f;
  std::vector<cv::Point2f> landmarks;      // e.g. 5 face points (eyes, nose, mouth corners)
  int track_id = -1;                       // stable across frames when a tracker ran
  std::string identity;                    // face_identify: gallery name or "unknown-N"
  float identity_distance = -1.f;
  std::vector<float> embedding;            // face_embed
  nlohmann::json attributes = nlohmann::json::object();  // e.g. {"age": 31, "gender": "female"}
  std::optional<AlignedFace> aligned;      // face_align: the crop face_embed describes
};

struct Detections final : Metadata {
  std::vector<Detection> items;
  std::string_view kind() const override { return "detections"; }
  nlohmann::json to_json() const override;
};

// Per-pixel class ids (CV_8U, frame size) plus per-class area fractions.
struct SegmentationMask final : Metadata {
  cv::Mat labels;                          // CV_8UC1, class id per pixel, frame size
  cv::Mat confidence;                      // optional CV_32FC1 in [0,1] (e.g. person probability)
  std::vector<std::string> class_names;
  std::vector<float> area_fraction;        // per class, sums to 1
  std::string_view kind() const override { return "mask"; }
  nlohmann::json to_json() const override;
};

struct Caption final : Metadata {
  std::string text;
  float score = 0.f;                       // log-probability (length-normalised if requested)
  std::vector<int> tokens;
  std::string_view kind() const override { return "caption"; }
  nlohmann::json to_json() const override;
};

// Free-form JSON result for plugins whose output has no built-in type.
struct JsonMetadata final : Metadata {
  std::string kind_name;
  nlohmann::json value;
  std::string_view kind() const override { return kind_name; }
  nlohmann::json to_json() const override { return value; }
};

}  // namespace neuropipe
