#pragma once
// Keeps face ids stable across the frames of one stream: a face continues
// the track whose last box it overlaps most (IoU >= min_iou) if their
// descriptors agree (same-person threshold; a different person stepping
// into the same place starts a new track), else the track
// whose descriptor is nearest within the same-person threshold; otherwise it
// starts a new track. A track keeps its identity: a face the gallery does not
// name takes its track's ("unknown-N" for a new track), so a name survives a
// frame of poor match and an unknown face returning within max_age frames
// finds its old track (and id) by descriptor.
#include <neuropipe/metadata.hpp>
#include <string>
#include <vector>

#include "face_distance.hpp"

namespace neuropipe::face {

class FaceTracker {
 public:
  FaceTracker(float min_iou, int max_age_frames) : min_iou_(min_iou), max_age_(max_age_frames) {}

  // Sets track_id on every face and, for faces without a gallery identity,
  // the identity their track carries ("unknown-N").
  void update(int64_t frame_index, std::vector<Detection>& faces, const FaceDistance& distance);

 private:
  struct Track {
    int id;
    cv::Rect2f box;
    std::vector<float> embedding;
    std::string identity;
    int64_t last_seen;
  };
  Track* best_track(const Detection& face, const std::vector<bool>& taken, const FaceDistance& distance);

  float min_iou_;
  int max_age_;
  int next_id_ = 1, next_unknown_ = 1;
  std::vector<Track> tracks_;
};

}  // namespace neuropipe::face
