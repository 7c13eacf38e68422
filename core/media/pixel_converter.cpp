#include "media/pixel_converter.hpp"

#include <string>

extern "C" {
#include <libavutil/pixdesc.h>
}

#include "neuropipe/error.hpp"

namespace neuropipe::media {

namespace {

// swscale's colour matrix id (unspecified -> BT.601, the SD default).
int matrix(AVColorSpace space) {
  return space == AVCOL_SPC_UNSPECIFIED || space == AVCOL_SPC_RGB ? SWS_CS_DEFAULT : static_cast<int>(space);
}

// Decoders that signal full range through a deprecated "J" pixel format.
AVPixelFormat without_jpeg_alias(AVPixelFormat format, int& full_range) {
  switch (format) {
    case AV_PIX_FMT_YUVJ420P:
      full_range = 1;
      return AV_PIX_FMT_YUV420P;
    case AV_PIX_FMT_YUVJ422P:
      full_range = 1;
      return AV_PIX_FMT_YUV422P;
    case AV_PIX_FMT_YUVJ444P:
      full_range = 1;
      return AV_PIX_FMT_YUV444P;
    default:
      return format;
  }
}

std::string format_name(AVPixelFormat format) {
  const char* name = av_get_pix_fmt_name(format);
  return name ? name : "unknown";
}

}  // namespace

SwsContext* PixelConverter::context_for(const Geometry& g) {
  if (context_ && g == geometry_) return context_.get();
  // Bilinear only matters when scaling; same-size conversions take swscale's
  // unscaled fast paths whatever the flag.
  context_.reset(sws_getContext(g.src_width, g.src_height, g.src_format, g.dst_width, g.dst_height,
                                g.dst_format, SWS_BILINEAR, nullptr, nullptr, nullptr));
  if (!context_)
    throw Error("pixel conversion " + format_name(g.src_format) + " " + std::to_string(g.src_width) + "x" +
                std::to_string(g.src_height) + " -> " + format_name(g.dst_format) + " " +
                std::to_string(g.dst_width) + "x" + std::to_string(g.dst_height) +
                " is not supported by swscale");
  sws_setColorspaceDetails(context_.get(), sws_getCoefficients(g.src_colorspace), g.src_full_range,
                           sws_getCoefficients(g.dst_colorspace), g.dst_full_range, 0, 1 << 16, 1 << 16);
  geometry_ = g;
  return context_.get();
}

cv::Mat PixelConverter::to_bgr(const AVFrame& picture) {
  Geometry g;
  g.src_full_range = picture.color_range == AVCOL_RANGE_JPEG ? 1 : 0;
  g.src_format = without_jpeg_alias(static_cast<AVPixelFormat>(picture.format), g.src_full_range);
  g.src_width = g.dst_width = picture.width;
  g.src_height = g.dst_height = picture.height;
  g.src_colorspace = matrix(picture.colorspace);
  g.dst_format = AV_PIX_FMT_BGR24;
  g.dst_colorspace = SWS_CS_DEFAULT;
  g.dst_full_range = 1;
  SwsContext* sws = context_for(g);

  cv::Mat bgr(picture.height, picture.width, CV_8UC3);
  uint8_t* dst[4] = {bgr.data, nullptr, nullptr, nullptr};
  int dst_stride[4] = {static_cast<int>(bgr.step[0]), 0, 0, 0};
  sws_scale(sws, picture.data, picture.linesize, 0, picture.height, dst, dst_stride);
  return bgr;
}

void PixelConverter::from_bgr(const cv::Mat& bgr, AVFrame& picture) {
  if (bgr.type() != CV_8UC3) throw Error("pixel conversion expects a BGR 8-bit image (CV_8UC3)");
  Geometry g;
  g.src_width = bgr.cols;
  g.src_height = bgr.rows;
  g.src_format = AV_PIX_FMT_BGR24;
  g.src_colorspace = SWS_CS_DEFAULT;
  g.src_full_range = 1;
  g.dst_width = picture.width;
  g.dst_height = picture.height;
  g.dst_format = static_cast<AVPixelFormat>(picture.format);
  g.dst_colorspace = matrix(picture.colorspace);
  g.dst_full_range = picture.color_range == AVCOL_RANGE_JPEG ? 1 : 0;
  SwsContext* sws = context_for(g);

  const uint8_t* src[4] = {bgr.data, nullptr, nullptr, nullptr};
  int src_stride[4] = {static_cast<int>(bgr.step[0]), 0, 0, 0};
  sws_scale(sws, src, src_stride, 0, bgr.rows, picture.data, picture.linesize);
}

}  // namespace neuropipe::media
