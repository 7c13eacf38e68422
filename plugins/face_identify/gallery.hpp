#pragma once
// The known people: a folder `NAME/*.jpg|png` enrolled once (the largest
// face of each photo, detected and described), cached on disk under a key
// made of the model names and every photo's path, size and mtime, so a
// changed gallery is enrolled again and an unchanged one loads instantly.
#include <filesystem>
#include <functional>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "face_distance.hpp"

namespace neuropipe::face {

struct Person {
  std::string name;
  std::vector<float> embedding;  // one per enrolled photo
};

struct Match {
  std::string name;  // empty when the gallery is empty
  float distance = 1e9f;
};

class Gallery {
 public:
  // `describe_largest_face(photo)` returns the descriptor of the photo's
  // largest face, or an empty vector when it has none.
  using Describe = std::function<std::vector<float>(const cv::Mat&)>;
  static Gallery enrol(const std::filesystem::path& folder, const std::string& models_key,
                       const std::filesystem::path& cache_dir, const Describe& describe_largest_face);

  Match nearest(const std::vector<float>& embedding, const FaceDistance& distance) const;
  const std::vector<Person>& people() const { return people_; }

 private:
  std::vector<Person> people_;
};

}  // namespace neuropipe::face
