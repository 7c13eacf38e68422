#pragma once
// Which frames of a stream get a fresh caption, and which caption the frames
// in between show. A frame is captioned when it is the first of its stream,
// when its index is a multiple of every_n_frames (0: never by count), or when
// it differs from the frame before by more than scene_change_threshold (mean
// absolute grey-level difference of 32x32 thumbnails, 0..255; 0: off).
// Thread-safe, but the first-frame and scene-change rules assume frames
// arrive one at a time, in order (the node is `ordered`).
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <neuropipe/metadata.hpp>
#include <opencv2/core.hpp>

namespace neuropipe::caption {

class CaptionSchedule {
 public:
  CaptionSchedule(int every_n_frames, double scene_change_threshold);

  // Decides for this frame (index within `stream`); a frame index 0 starts
  // the stream afresh (batch runs reuse the node for every file).
  bool wants_caption(int stream, int64_t index, const cv::Mat& bgr);
  // A caption of frame `index` is done.
  void finished(int stream, int64_t index, std::shared_ptr<const Caption> caption);
  // The newest finished caption of an earlier frame of the stream, or null.
  std::shared_ptr<const Caption> latest_before(int stream, int64_t index) const;

  // Mean absolute difference (0..255) between two frames' grey thumbnails.
  static cv::Mat thumbnail(const cv::Mat& bgr);
  static double difference(const cv::Mat& thumb_a, const cv::Mat& thumb_b);

 private:
  struct Stream {
    int64_t last_index = -1;  // newest frame decided
    cv::Mat last_thumbnail;
    int64_t caption_index = -1;  // frame the newest finished caption describes
    std::shared_ptr<const Caption> caption;
  };

  int every_n_;
  double threshold_;
  mutable std::mutex mutex_;
  std::map<int, Stream> streams_;
};

}  // namespace neuropipe::caption
