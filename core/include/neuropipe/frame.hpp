#pragma once
// A Frame is one picture moving through a pipeline: its pixels (BGR, 8-bit,
// the one pixel format nodes see), where it came from, and the metadata that
// nodes attached to it. Branches of one frame run in parallel, so every
// accessor is thread-safe; pixels are replaced, never mutated in place by a
// node that runs beside another.
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <opencv2/core.hpp>

#include "neuropipe/metadata.hpp"

namespace neuropipe {

// Pixels as the source decoded them (a video's YUV picture). A frame made
// from one converts to BGR only when someone first asks for its image, and a
// video sink can encode the picture as it is when no node replaced it, so a
// pipeline that never looks at pixels pays no colour conversion at all.
class SourcePicture {
 public:
  virtual ~SourcePicture() = default;
  virtual cv::Mat to_bgr() const = 0;  // a new BGR 8-bit image
};

struct FrameOrigin {
  std::string source;         // source name in the pipeline file
  int stream_id = 0;          // index of the source in the pipeline
  int64_t index = 0;          // 0-based frame number within the source
  int64_t pts = 0;            // presentation timestamp in time_base units
  double time_base = 0.0;     // seconds per pts unit (0 when unknown)
  std::string path;           // image sources: the file this frame was read from
  std::string relative_path;  // image folders: path relative to the folder root
};

class Frame {
 public:
  Frame() = default;
  Frame(cv::Mat bgr, FrameOrigin origin) : image_(std::move(bgr)), origin_(std::move(origin)) {}
  Frame(std::shared_ptr<const SourcePicture> picture, FrameOrigin origin)
      : origin_(std::move(origin)), source_picture_(std::move(picture)) {}
  Frame(const Frame&) = delete;
  Frame& operator=(const Frame&) = delete;

  const FrameOrigin& origin() const { return origin_; }
  FrameOrigin& origin() { return origin_; }

  // Pixels: a shallow (ref-counted) copy; clone() before writing into it.
  // The first call converts a source picture (under the lock, so branches
  // asking at once convert it once).
  cv::Mat image() const {
    std::lock_guard lock(mutex_);
    if (image_.empty() && source_picture_) image_ = source_picture_->to_bgr();
    return image_;
  }
  void set_image(cv::Mat bgr) {
    std::lock_guard lock(mutex_);
    image_ = std::move(bgr);
    source_picture_.reset();  // the pixels are no longer the source's
  }
  // The source's own picture while no node replaced the image, else null.
  std::shared_ptr<const SourcePicture> source_picture() const {
    std::lock_guard lock(mutex_);
    return source_picture_;
  }

  // Metadata is keyed by the name of the node that wrote it.
  void put(std::string key, std::shared_ptr<const Metadata> item) {
    std::lock_guard lock(mutex_);
    for (auto& [k, v] : metadata_)
      if (k == key) {
        v = std::move(item);
        return;
      }
    metadata_.emplace_back(std::move(key), std::move(item));
  }
  std::shared_ptr<const Metadata> get(std::string_view key) const {
    std::lock_guard lock(mutex_);
    for (auto& [k, v] : metadata_)
      if (k == key) return v;
    return nullptr;
  }
  // The most recently attached item of type T (any node), or null.
  template <class T>
  std::shared_ptr<const T> latest() const {
    std::lock_guard lock(mutex_);
    for (auto it = metadata_.rbegin(); it != metadata_.rend(); ++it)
      if (auto p = std::dynamic_pointer_cast<const T>(it->second)) return p;
    return nullptr;
  }
  template <class T>
  std::shared_ptr<const T> get_as(std::string_view key) const {
    return std::dynamic_pointer_cast<const T>(get(key));
  }
  std::vector<std::pair<std::string, std::shared_ptr<const Metadata>>> all_metadata() const {
    std::lock_guard lock(mutex_);
    return metadata_;
  }

 private:
  mutable std::mutex mutex_;
  mutable cv::Mat image_;  // filled from source_picture_ on first use
  FrameOrigin origin_;
  std::shared_ptr<const SourcePicture> source_picture_;
  std::vector<std::pair<std::string, std::shared_ptr<const Metadata>>> metadata_;
};

using FramePtr = std::shared_ptr<Frame>;

}  // namespace neuropipe
