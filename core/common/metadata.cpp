#include "neuropipe/metadata.hpp"

namespace neuropipe {

namespace {
nlohmann::json rect_json(const cv::Rect2f& r) { return {r.x, r.y, r.width, r.height}; }
nlohmann::json classification_list(const std::vector<Classification>& list) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : list) out.push_back({{"label", c.label}, {"score", c.score}, {"class_id", c.class_id}});
  return out;
}
// The crop's pixels stay out of the JSON lines: its size, how it was made and
// the frame-to-crop transform are enough to reproduce it.
nlohmann::json aligned_json(const AlignedFace& a) {
  const auto& t = a.transform;
  return {{"method", a.method},
          {"size", {a.crop.cols, a.crop.rows}},
          {"transform", {t(0, 0), t(0, 1), t(0, 2), t(1, 0), t(1, 1), t(1, 2)}}};
}
}  // namespace

nlohmann::json Classifications::to_json() const {
  if (per_roi.empty()) return classification_list(top);
  nlohmann::json out = nlohmann::json::array();
  for (const auto& list : per_roi) out.push_back(classification_list(list));
  return out;
}

nlohmann::json Detections::to_json() const {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& d : items) {
    nlohmann::json j = {{"box", rect_json(d.box)}, {"label", d.label}, {"class_id", d.class_id}, {"score", d.score}};
    if (!d.landmarks.empty()) {
      nlohmann::json pts = nlohmann::json::array();
      for (const auto& p : d.landmarks) pts.push_back({p.x, p.y});
      j["landmarks"] = pts;
    }
    if (d.track_id >= 0) j["track_id"] = d.track_id;
    if (!d.identity.empty()) {
      j["identity"] = d.identity;
      j["identity_distance"] = d.identity_distance;
    }
    if (!d.embedding.empty()) j["embedding_dim"] = d.embedding.size();
    if (!d.attributes.empty()) j["attributes"] = d.attributes;
    if (d.aligned) j["aligned"] = aligned_json(*d.aligned);
    out.push_back(std::move(j));
  }
  return out;
}

nlohmann::json SegmentationMask::to_json() const {
  nlohmann::json areas = nlohmann::json::object();
  for (size_t i = 0; i < area_fraction.size(); ++i)
    if (area_fraction[i] > 0.f) areas[i < class_names.size() ? class_names[i] : std::to_string(i)] = area_fraction[i];
  return {{"width", labels.cols}, {"height", labels.rows}, {"area_fraction", areas}};
}

nlohmann::json Caption::to_json() const { return {{"text", text}, {"score", score}, {"tokens", tokens}}; }

}  // namespace neuropipe
