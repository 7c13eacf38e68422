#pragma once
// Frames in, an encoded container out: BGR -> yuv420p (swscale; untouched
// decoded yuv420p pictures go to the encoder as they are), encoder
// (libx264 when present, else mpeg4) and muxer (a file or a network URL).
// Shared by the video-file and network-stream sinks, which only differ in
// where the bytes go and how the result is published.
#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "media/ffmpeg/av_handles.hpp"
#include "media/ffmpeg/interrupt_deadline.hpp"
#include "media/pixel_converter.hpp"
#include "neuropipe/frame.hpp"

namespace neuropipe::media {

class DecodedPicture;

struct VideoWriterSettings {
  std::string url;                                   // what the muxer writes (a temp file or a network URL)
  std::string display_name;                          // what errors name (the final file, the URL)
  std::string container;                             // muxer name: mp4, matroska, mpegts, rtsp, ...
  std::string codec;                                 // encoder name; empty: libx264 when present, else mpeg4
  std::map<std::string, std::string> codec_options;  // crf, preset, tune: passed where the encoder has them
  std::map<std::string, std::string> muxer_options;  // e.g. rtsp_transport
  double fps = 25.0;                                 // nominal rate (timestamps come from the frames)
  int gop = 0;                                       // keyframe interval in frames; 0: encoder default
  bool low_latency = false;                          // no B-frames, x264 tune zerolatency (streaming)
  int threads = 0;                                   // encoder threads; 0: automatic
  std::chrono::milliseconds timeout{0};              // network writes; 0: none
};

class VideoWriter {
 public:
  // Size and time base are taken from `first` (which is not written yet).
  VideoWriter(VideoWriterSettings settings, const Frame& first);
  // Releases everything without finishing the container (the abort path).
  ~VideoWriter();
  VideoWriter(const VideoWriter&) = delete;
  VideoWriter& operator=(const VideoWriter&) = delete;

  // Throws Error naming display_name on any encoder or I/O failure.
  void write(const Frame& frame);
  // Flushes the encoder and writes the trailer; throws Error on failure.
  void finish();

 private:
  void open_encoder(int width, int height);
  void open_container();
  int64_t encoder_pts(const FrameOrigin& origin);
  std::shared_ptr<const DecodedPicture> encodable_as_is(const Frame& frame) const;
  void send_to_encoder(const AVFrame* picture);
  void write_packet(AVPacket& packet);
  std::string failure(const std::string& what, int averror) const;

  VideoWriterSettings settings_;
  ffmpeg::InterruptDeadline deadline_;
  AVRational time_base_{1, 25};  // of the encoder and of the pts we hand it
  AVRational frame_rate_{25, 1};
  double source_time_base_ = 0;  // seconds per pts unit of the frames (0: unknown)
  int64_t first_pts_ = 0;
  int64_t last_pts_ = -1;
  int64_t frames_written_ = 0;
  ffmpeg::CodecContextPtr encoder_;
  ffmpeg::OutputPtr container_;
  AVStream* stream_ = nullptr;
  ffmpeg::FramePtr picture_;      // BGR frames converted for the encoder
  ffmpeg::FramePtr passthrough_;  // decoded pictures handed on as they are
  ffmpeg::PacketPtr packet_;
  PixelConverter converter_;
  bool header_written_ = false;
  bool finished_ = false;
};

}  // namespace neuropipe::media
