#include "caption_schedule.hpp"

#include <opencv2/imgproc.hpp>

namespace neuropipe::caption {

CaptionSchedule::CaptionSchedule(int every_n_frames, double scene_change_threshold)
    : every_n_(every_n_frames), threshold_(scene_change_threshold) {}

cv::Mat CaptionSchedule::thumbnail(const cv::Mat& bgr) {
  cv::Mat grey, small;
  if (bgr.channels() == 3)
    cv::cvtColor(bgr, grey, cv::COLOR_BGR2GRAY);
  else
    grey = bgr;
  cv::resize(grey, small, {32, 32}, 0, 0, cv::INTER_AREA);
  return small;
}

double CaptionSchedule::difference(const cv::Mat& thumb_a, const cv::Mat& thumb_b) {
  return cv::norm(thumb_a, thumb_b, cv::NORM_L1) / double(thumb_a.total());
}

bool CaptionSchedule::wants_caption(int stream, int64_t index, const cv::Mat& bgr) {
  const cv::Mat thumb = threshold_ > 0 ? thumbnail(bgr) : cv::Mat();
  std::lock_guard lock(mutex_);
  Stream& s = streams_[stream];
  if (index == 0) s = Stream{};
  const bool first = s.last_index < 0;
  const bool by_count = every_n_ > 0 && index % every_n_ == 0;
  const bool cut = threshold_ > 0 && !s.last_thumbnail.empty() && index > s.last_index &&
                   difference(thumb, s.last_thumbnail) > threshold_;
  if (index > s.last_index) {
    s.last_index = index;
    s.last_thumbnail = thumb;
  }
  return first || by_count || cut;
}

void CaptionSchedule::finished(int stream, int64_t index, std::shared_ptr<const Caption> caption) {
  std::lock_guard lock(mutex_);
  Stream& s = streams_[stream];
  if (index < s.caption_index) return;  // a newer caption finished first
  s.caption_index = index;
  s.caption = std::move(caption);
}

std::shared_ptr<const Caption> CaptionSchedule::latest_before(int stream, int64_t index) const {
  std::lock_guard lock(mutex_);
  auto it = streams_.find(stream);
  if (it == streams_.end() || it->second.caption_index >= index) return nullptr;
  return it->second.caption;
}

}  // namespace neuropipe::caption
