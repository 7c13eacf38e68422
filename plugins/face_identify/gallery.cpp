#include "gallery.hpp"

#include <algorithm>
#include <fstream>
#include <neuropipe/error.hpp>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

namespace fs = std::filesystem;

namespace neuropipe::face {

namespace {

bool is_photo(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".bmp";
}

// NAME -> photos, sorted so the cache key does not depend on directory order.
std::vector<std::pair<std::string, fs::path>> gallery_photos(const fs::path& folder) {
  if (!fs::is_directory(folder)) throw Error("face gallery '" + folder.string() + "' is not a folder");
  std::vector<std::pair<std::string, fs::path>> photos;
  for (const auto& person : fs::directory_iterator(folder))
    if (person.is_directory())
      for (const auto& file : fs::directory_iterator(person.path()))
        if (file.is_regular_file() && is_photo(file.path()))
          photos.emplace_back(person.path().filename().string(), file.path());
  std::sort(photos.begin(), photos.end());
  if (photos.empty()) throw Error("face gallery '" + folder.string() + "' has no NAME/*.jpg photos");
  return photos;
}

std::string cache_key(const std::string& models_key,
                      const std::vector<std::pair<std::string, fs::path>>& photos) {
  std::string text = models_key;
  for (const auto& [name, path] : photos)
    text += "|" + path.string() + ":" + std::to_string(fs::file_size(path)) + ":" +
            std::to_string(fs::last_write_time(path).time_since_epoch().count());
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016zx", std::hash<std::string>{}(text));
  return hex;
}

}  // namespace

Gallery Gallery::enrol(const fs::path& folder, const std::string& models_key, const fs::path& cache_dir,
                       const Describe& describe_largest_face) {
  const auto photos = gallery_photos(folder);
  const fs::path cache_file = cache_dir / "face_gallery" / (cache_key(models_key, photos) + ".json");
  Gallery gallery;
  if (std::ifstream cached(cache_file); cached) {
    for (const auto& p : nlohmann::json::parse(cached))
      gallery.people_.push_back({p.at("name"), p.at("embedding").get<std::vector<float>>()});
    return gallery;
  }
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [name, path] : photos) {
    const cv::Mat image = cv::imread(path.string(), cv::IMREAD_COLOR);
    if (image.empty()) throw Error("face gallery: cannot decode '" + path.string() + "'");
    std::vector<float> embedding = describe_largest_face(image);
    if (embedding.empty()) throw Error("face gallery: no face found in '" + path.string() + "'");
    out.push_back({{"name", name}, {"embedding", embedding}});
    gallery.people_.push_back({name, std::move(embedding)});
  }
  // Written to a temporary name and renamed, so a reader never sees half a file.
  fs::create_directories(cache_file.parent_path());
  const fs::path partial = cache_file.string() + ".partial";
  std::ofstream(partial) << out.dump();
  fs::rename(partial, cache_file);
  return gallery;
}

Match Gallery::nearest(const std::vector<float>& embedding, const FaceDistance& distance) const {
  Match best;
  for (const auto& person : people_)
    if (float d = distance(embedding, person.embedding); d < best.distance) best = {person.name, d};
  return best;
}

}  // namespace neuropipe::face
