#pragma once
// Colour conversion between decoded/encoded pictures (YUV and friends) and
// the BGR 8-bit cv::Mat that nodes see, on swscale. The SwsContext is cached
// and only rebuilt when a size, pixel format or colour space changes, so the
// per-frame cost is the conversion itself.
#include <opencv2/core.hpp>

#include "media/ffmpeg/av_handles.hpp"

namespace neuropipe::media {

class PixelConverter {
 public:
  // A new BGR image (frames travel on through the pipeline, so each gets its
  // own buffer), honouring the picture's colour matrix and range.
  cv::Mat to_bgr(const AVFrame& picture);

  // Writes `bgr` into `picture` (already allocated with its format, width and
  // height), scaling when the sizes differ, with the picture's colour matrix
  // and range (unspecified: BT.601 limited range, what players assume).
  void from_bgr(const cv::Mat& bgr, AVFrame& picture);

 private:
  struct Geometry {
    int src_width = 0, src_height = 0;
    AVPixelFormat src_format = AV_PIX_FMT_NONE;
    int src_colorspace = 0, src_full_range = 0;
    int dst_width = 0, dst_height = 0;
    AVPixelFormat dst_format = AV_PIX_FMT_NONE;
    int dst_colorspace = 0, dst_full_range = 0;
    bool operator==(const Geometry&) const = default;
  };
  SwsContext* context_for(const Geometry& geometry);

  ffmpeg::SwsPtr context_;
  Geometry geometry_;
};

}  // namespace neuropipe::media
