#pragma once
// How two descriptors of one model are compared, from the manifest's
// `extra.distance` ("euclidean" | "cosine") and its same-person threshold
// (`same_person_below` distance, or `same_person_above` cosine similarity).
#include <neuropipe/models/store.hpp>
#include <string>
#include <vector>

namespace neuropipe::face {

struct FaceDistance {
  bool cosine = false;
  float same_person_below = 0.6f;  // as a distance (cosine: 1 - similarity)

  static FaceDistance from_manifest(const models::ModelEntry& entry);
  float operator()(const std::vector<float>& a, const std::vector<float>& b) const;
};

}  // namespace neuropipe::face
