#include "media/sources/image_source.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <vector>

namespace neuropipe::media {

namespace fs = std::filesystem;

namespace {

struct ImageEntry {
  fs::path path;
  std::string relative_path;  // for sinks that mirror the input tree
};

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

// Sorted by relative path (generic '/' form), so the order is the same on
// every machine whatever order the filesystem lists.
std::vector<ImageEntry> scan_folder(const fs::path& root) {
  std::vector<ImageEntry> entries;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec) && is_image_path(it->path().string()))
      entries.push_back({it->path(), it->path().lexically_relative(root).generic_string()});
  }
  if (ec) throw Error("cannot list image folder '" + root.string() + "': " + ec.message());
  std::sort(entries.begin(), entries.end(),
            [](const ImageEntry& a, const ImageEntry& b) { return a.relative_path < b.relative_path; });
  return entries;
}

// One path per line, relative to the list's folder; blank lines and lines
// starting with '#' are skipped.
std::vector<ImageEntry> read_list(const fs::path& list) {
  std::ifstream in(list);
  if (!in) throw Error("cannot read image list '" + list.string() + "'");
  std::vector<ImageEntry> entries;
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
      line.pop_back();
    if (line.empty() || line.front() == '#') continue;
    const fs::path listed(line);
    const fs::path path = listed.is_absolute() ? listed : list.parent_path() / listed;
    entries.push_back({path, listed.is_absolute() ? listed.filename().string() : listed.generic_string()});
  }
  return entries;
}

std::vector<ImageEntry> entries_for(const fs::path& uri, ImageInputKind kind) {
  switch (kind) {
    case ImageInputKind::folder:
      return scan_folder(uri);
    case ImageInputKind::list:
      return read_list(uri);
    case ImageInputKind::single:
      return {{uri, uri.filename().string()}};
  }
  return {};
}

const char* noun(ImageInputKind kind) {
  switch (kind) {
    case ImageInputKind::folder:
      return "image folder";
    case ImageInputKind::list:
      return "image list";
    case ImageInputKind::single:
      return "image";
  }
  return "images";
}

class ImageSource final : public Source {
 public:
  ImageSource(SourceSpec spec, ImageInputKind kind) : spec_(std::move(spec)) {
    if (!fs::exists(spec_.uri)) throw Error(std::string(noun(kind)) + " not found: '" + spec_.uri + "'");
    entries_ = entries_for(spec_.uri, kind);
    if (entries_.empty()) throw Error(std::string(noun(kind)) + " '" + spec_.uri + "' holds no image files");
    // The first readable image gives the size in info(); it is kept for read().
    first_ = load_next();
    if (!first_)
      throw Error(std::string(noun(kind)) + " '" + spec_.uri + "': none of its images can be read");
    info_.width = first_->image().cols;
    info_.height = first_->image().rows;
    info_.frame_count = static_cast<int64_t>(entries_.size());
    info_.codec = "image";
    info_.description = std::string(noun(kind)) + " " + spec_.uri + " (" + std::to_string(entries_.size()) +
                        (entries_.size() == 1 ? " file)" : " files)");
  }

  const SourceInfo& info() const override { return info_; }
  const std::vector<std::string>& errors() const override { return errors_; }
  FramePtr read() override { return first_ ? std::move(first_) : load_next(); }
  void reopen() override { throw Error("image source '" + spec_.uri + "' is not live: nothing to reopen"); }

 private:
  // The next image that decodes; unreadable ones are reported and skipped.
  FramePtr load_next() {
    while (next_entry_ < entries_.size()) {
      const ImageEntry& entry = entries_[next_entry_++];
      cv::Mat bgr = cv::imread(entry.path.string(), cv::IMREAD_COLOR);
      if (bgr.empty()) {
        const std::string problem = entry.path.string() + ": unreadable or corrupt image, skipped";
        spdlog::warn("source '{}': {}", spec_.name, problem);
        errors_.push_back(problem);
        continue;
      }
      FrameOrigin origin;
      origin.source = spec_.name;
      origin.stream_id = spec_.stream_id;
      origin.index = next_index_;
      origin.pts = next_index_++;
      origin.path = entry.path.string();
      origin.relative_path = entry.relative_path;
      return std::make_shared<Frame>(std::move(bgr), std::move(origin));
    }
    return nullptr;
  }

  SourceSpec spec_;
  std::vector<ImageEntry> entries_;
  size_t next_entry_ = 0;
  int64_t next_index_ = 0;
  FramePtr first_;
  SourceInfo info_;
  std::vector<std::string> errors_;
};

}  // namespace

bool is_image_path(const std::string& path) {
  static const std::array<std::string, 7> extensions = {".jpg", ".jpeg", ".png", ".bmp",
                                                        ".tif", ".tiff", ".webp"};
  const std::string extension = lower(fs::path(path).extension().string());
  return std::find(extensions.begin(), extensions.end(), extension) != extensions.end();
}

std::unique_ptr<Source> open_image_source(const SourceSpec& spec, ImageInputKind kind) {
  return std::make_unique<ImageSource>(spec, kind);
}

}  // namespace neuropipe::media
