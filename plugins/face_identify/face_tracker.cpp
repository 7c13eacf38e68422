#include "face_tracker.hpp"

#include <algorithm>

#include "face_candidate.hpp"

namespace neuropipe::face {

FaceTracker::Track* FaceTracker::best_track(const Detection& face, const std::vector<bool>& taken,
                                            const FaceDistance& distance) {
  Track* best = nullptr;
  float best_iou = min_iou_;
  auto same_person = [&](const Track& t) {
    return face.embedding.empty() || t.embedding.empty() ||
           distance(face.embedding, t.embedding) < distance.same_person_below;
  };
  for (size_t i = 0; i < tracks_.size(); ++i)
    if (float overlap = iou(tracks_[i].box, face.box);
        !taken[i] && overlap >= best_iou && same_person(tracks_[i])) {
      best = &tracks_[i];
      best_iou = overlap;
    }
  if (best || face.embedding.empty()) return best;
  float best_distance = distance.same_person_below;
  for (size_t i = 0; i < tracks_.size(); ++i)
    if (!taken[i] && !tracks_[i].embedding.empty())
      if (float d = distance(face.embedding, tracks_[i].embedding); d < best_distance) {
        best = &tracks_[i];
        best_distance = d;
      }
  return best;
}

void FaceTracker::update(int64_t frame_index, std::vector<Detection>& faces, const FaceDistance& distance) {
  std::erase_if(tracks_, [&](const Track& t) { return frame_index - t.last_seen > max_age_; });
  std::vector<bool> taken(tracks_.size(), false);
  std::vector<Track> started;
  for (auto& face : faces) {
    Track* track = best_track(face, taken, distance);
    if (track) {
      taken[track - tracks_.data()] = true;
    } else {
      started.push_back({next_id_++, {}, {}, {}, frame_index});
      track = &started.back();
    }
    if (face.identity.empty()) {
      if (track->identity.empty()) track->identity = "unknown-" + std::to_string(next_unknown_++);
      face.identity = track->identity;
    } else {
      track->identity = face.identity;
    }
    face.track_id = track->id;
    track->box = face.box;
    track->embedding = face.embedding;
    track->last_seen = frame_index;
  }
  for (auto& t : started) tracks_.push_back(std::move(t));
}

}  // namespace neuropipe::face
