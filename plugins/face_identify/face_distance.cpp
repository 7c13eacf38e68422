#include "face_distance.hpp"

#include <cmath>
#include <neuropipe/error.hpp>

namespace neuropipe::face {

FaceDistance FaceDistance::from_manifest(const models::ModelEntry& entry) {
  FaceDistance d;
  const std::string kind = entry.extra.value("distance", std::string("euclidean"));
  if (kind != "euclidean" && kind != "cosine")
    throw Error("model '" + entry.name + "': extra.distance '" + kind + "' is not euclidean or cosine");
  d.cosine = kind == "cosine";
  d.same_person_below = d.cosine ? 1.f - entry.extra.value("same_person_above", 0.7f)
                                 : entry.extra.value("same_person_below", 0.6f);
  return d;
}

float FaceDistance::operator()(const std::vector<float>& a, const std::vector<float>& b) const {
  if (a.size() != b.size())
    throw Error("face descriptors differ in length (" + std::to_string(a.size()) + " vs " +
                std::to_string(b.size()) + "): gallery and face_embed use different models");
  float dot = 0.f, squared = 0.f, na = 0.f, nb = 0.f;
  for (size_t i = 0; i < a.size(); ++i) {
    dot += a[i] * b[i];
    squared += (a[i] - b[i]) * (a[i] - b[i]);
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  if (!cosine) return std::sqrt(squared);
  return na > 0 && nb > 0 ? 1.f - dot / std::sqrt(na * nb) : 1.f;
}

}  // namespace neuropipe::face
