#include "media/sources/video_source.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "media/decoded_picture.hpp"
#include "media/ffmpeg/av_error.hpp"
#include "media/ffmpeg/av_handles.hpp"
#include "media/ffmpeg/ffmpeg_init.hpp"
#include "media/ffmpeg/interrupt_deadline.hpp"
#include "media/options.hpp"

namespace neuropipe::media {

namespace {

using std::chrono::milliseconds;

// Each problem is also logged; the list keeps the first ones so a long
// damaged stream cannot grow it without bound.
constexpr size_t kMaxRecordedErrors = 1000;

const char* noun(VideoInputKind kind) {
  switch (kind) {
    case VideoInputKind::file:
      return "video file";
    case VideoInputKind::camera:
      return "camera";
    case VideoInputKind::stream:
      return "stream";
    case VideoInputKind::lavfi:
      return "lavfi graph";
  }
  return "input";
}

const AVInputFormat* demuxer_for(VideoInputKind kind) {
  if (kind == VideoInputKind::camera) return av_find_input_format("v4l2");
  if (kind == VideoInputKind::lavfi) return av_find_input_format("lavfi");
  return nullptr;  // probed from the data
}

// Options of ours; everything else in SourceSpec::options goes to FFmpeg.
struct Settings {
  milliseconds timeout{0};
  int threads = 0;  // 0: FFmpeg picks from the core count
  bool live = false;
  std::map<std::string, std::string> ffmpeg_options;
};

Settings read_settings(const SourceSpec& spec, VideoInputKind kind) {
  Options options(spec.options, "source '" + spec.name + "'");
  const bool live_kind = kind == VideoInputKind::camera || kind == VideoInputKind::stream;
  Settings s;
  s.live = options.flag("live", live_kind);
  s.timeout = milliseconds(options.integer("timeout_ms", live_kind ? 5000 : 0));
  s.threads = static_cast<int>(options.integer("threads", 0));
  s.ffmpeg_options = options.unread();
  return s;
}

class VideoSource final : public Source {
 public:
  VideoSource(SourceSpec spec, VideoInputKind kind)
      : spec_(std::move(spec)),
        kind_(kind),
        settings_(read_settings(spec_, kind_)),
        deadline_(settings_.timeout) {
    ffmpeg::ensure_initialized();
    open();
  }

  const SourceInfo& info() const override { return info_; }
  const std::vector<std::string>& errors() const override { return errors_; }

  FramePtr read() override {
    if (lost_) throw StreamLost(describe() + " is lost; reopen() it");
    while (!finished_) {
      const int rc = avcodec_receive_frame(decoder_.get(), picture_.get());
      if (rc == 0) return deliver();
      if (rc == AVERROR_EOF) return finish();
      if (rc != AVERROR(EAGAIN))
        record("frame " + std::to_string(next_index_) + ": " + ffmpeg::error_text(rc));
      else
        feed_decoder();
    }
    return nullptr;
  }

  void reopen() override {
    if (!settings_.live) throw Error(describe() + " is not live: reopen() applies to cameras and streams");
    decoder_.reset();
    input_.reset();
    try {
      open();
    } catch (const Error& e) {
      throw StreamLost(e.what());
    }
    lost_ = false;
  }

 private:
  std::string describe() const { return std::string(noun(kind_)) + " '" + spec_.uri + "'"; }

  void open() {
    if (kind_ == VideoInputKind::file && !std::filesystem::exists(spec_.uri))
      throw Error("video file not found: '" + spec_.uri + "'");
    open_input();
    open_decoder();
    describe_input();
    packet_ = ffmpeg::make_packet();
    picture_ = ffmpeg::make_frame();
    draining_ = finished_ = false;
    // A live join usually lands mid-GOP: frames before the next keyframe
    // would only decode to errors.
    waiting_for_keyframe_ = settings_.live;
  }

  std::string timeout_note() const {
    return deadline_.expired() ? " (no data within " + std::to_string(settings_.timeout.count()) + " ms)"
                               : "";
  }

  void open_input() {
    AVFormatContext* context = avformat_alloc_context();
    context->interrupt_callback = deadline_.callback();
    AVDictionary* dictionary = nullptr;
    for (const auto& [key, value] : settings_.ffmpeg_options)
      av_dict_set(&dictionary, key.c_str(), value.c_str(), 0);
    std::unique_ptr<AVDictionary, ffmpeg::DictionaryDeleter> unused_options(nullptr);
    deadline_.arm();
    const int rc = avformat_open_input(&context, spec_.uri.c_str(), demuxer_for(kind_), &dictionary);
    unused_options.reset(dictionary);
    if (rc < 0) throw Error("cannot open " + describe() + ": " + ffmpeg::error_text(rc) + timeout_note());
    input_.reset(context);
    for (const AVDictionaryEntry* e = nullptr; (e = av_dict_get(dictionary, "", e, AV_DICT_IGNORE_SUFFIX));)
      spdlog::warn("source '{}': option '{}' is not known to FFmpeg's {} demuxer; ignored", spec_.name,
                   e->key, input_->iformat->name);

    deadline_.arm();
    ffmpeg::check(avformat_find_stream_info(input_.get(), nullptr),
                  "cannot read the stream layout of " + describe() + timeout_note());
  }

  void open_decoder() {
    const AVCodec* codec = nullptr;
    stream_index_ = av_find_best_stream(input_.get(), AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
    if (stream_index_ == AVERROR_DECODER_NOT_FOUND) throw Error("no decoder for the video of " + describe());
    if (stream_index_ < 0) throw Error("no video stream in " + describe());
    const AVStream* stream = input_->streams[stream_index_];
    decoder_.reset(avcodec_alloc_context3(codec));
    ffmpeg::check(avcodec_parameters_to_context(decoder_.get(), stream->codecpar),
                  "decoder set-up for " + describe());
    decoder_->pkt_timebase = stream->time_base;
    decoder_->thread_count = settings_.threads;
    // Frame threads add one frame of latency per thread: fine for files,
    // not for live inputs.
    decoder_->thread_type = settings_.live ? FF_THREAD_SLICE : FF_THREAD_FRAME | FF_THREAD_SLICE;
    ffmpeg::check(avcodec_open2(decoder_.get(), codec, nullptr),
                  "cannot open the " + std::string(codec->name) + " decoder for " + describe());
  }

  void describe_input() {
    const AVStream* stream = input_->streams[stream_index_];
    const AVRational rate = av_guess_frame_rate(input_.get(), const_cast<AVStream*>(stream), nullptr);
    time_base_ = stream->time_base;
    info_.width = decoder_->width;
    info_.height = decoder_->height;
    info_.fps = rate.num > 0 && rate.den > 0 ? av_q2d(rate) : 0.0;
    info_.time_base = av_q2d(time_base_);
    info_.frame_count = stream->nb_frames > 0 ? stream->nb_frames : -1;
    info_.live = settings_.live;
    info_.codec = decoder_->codec->name;
    info_.description = std::string(noun(kind_)) + " " + spec_.uri + " (" + info_.codec + " " +
                        std::to_string(info_.width) + "x" + std::to_string(info_.height) + " " +
                        fmt::format("{:g}", info_.fps) + " fps)";
    expected_pts_step_ = rate.num > 0 ? av_rescale_q(1, av_inv_q(rate), time_base_) : 1;
  }

  // Reads one packet of our stream into the decoder, or starts draining it
  // at the end of the input.
  void feed_decoder() {
    if (draining_) {  // the decoder has everything; it will answer EOF
      avcodec_send_packet(decoder_.get(), nullptr);
      return;
    }
    deadline_.arm();
    const int rc = av_read_frame(input_.get(), packet_.get());
    if (rc < 0) return end_of_input(rc);
    const bool ours = packet_->stream_index == stream_index_;
    const bool usable = ours && !(waiting_for_keyframe_ && !(packet_->flags & AV_PKT_FLAG_KEY));
    if (usable) send(*packet_);
    av_packet_unref(packet_.get());
  }

  void send(const AVPacket& packet) {
    waiting_for_keyframe_ = false;
    ++packets_read_;
    if (packet.flags & AV_PKT_FLAG_CORRUPT)
      record("packet " + std::to_string(packets_read_ - 1) + " is damaged (decoded as far as possible)");
    const int rc = avcodec_send_packet(decoder_.get(), &packet);
    if (rc < 0) record("packet " + std::to_string(packets_read_ - 1) + " skipped: " + ffmpeg::error_text(rc));
  }

  // A file served over the network (http with a length, or seekable) has an
  // end; a camera, a socket or a broadcast that stops is a loss.
  bool has_an_end() const {
    if (kind_ == VideoInputKind::lavfi || kind_ == VideoInputKind::file) return true;
    AVIOContext* io = input_->pb;
    return io && ((io->seekable & AVIO_SEEKABLE_NORMAL) || avio_size(io) > 0);
  }

  // The end of a finite input drains the decoder; a live input that stops
  // without an end of its own is lost.
  void end_of_input(int rc) {
    // av_read_frame often reports a failed read as EOF and leaves the cause in the I/O context.
    const int cause = rc != AVERROR_EOF ? rc : (input_->pb && input_->pb->error < 0 ? input_->pb->error : 0);
    const bool io_error = cause < 0 || deadline_.expired();
    const std::string reason = cause < 0 ? ffmpeg::error_text(cause) : "no data";
    if (settings_.live && (io_error || !has_an_end())) {
      lost_ = true;
      throw StreamLost(describe() + " lost after frame " + std::to_string(next_index_ - 1) + ": " +
                       (io_error ? reason : "end of stream") + timeout_note());
    }
    if (io_error)
      input_problem_ = "read error: " + reason + timeout_note();
    else if (info_.frame_count > 0 && packets_read_ < info_.frame_count)
      input_problem_ = "truncated: " + std::to_string(packets_read_) + " of " +
                       std::to_string(info_.frame_count) + " frames present";
    draining_ = true;
    avcodec_send_packet(decoder_.get(), nullptr);
  }

  FramePtr finish() {
    finished_ = true;
    if (!input_problem_.empty())
      record(spec_.uri + ": " + input_problem_ + "; stopped after frame " + std::to_string(next_index_ - 1));
    return nullptr;
  }

  FramePtr deliver() {
    if (picture_->decode_error_flags || (picture_->flags & AV_FRAME_FLAG_CORRUPT))
      record("frame " + std::to_string(next_index_) + " decoded with errors (concealed)");
    FrameOrigin origin;
    origin.source = spec_.name;
    origin.stream_id = spec_.stream_id;
    origin.index = next_index_++;
    origin.pts = next_pts(picture_->best_effort_timestamp);
    origin.time_base = info_.time_base;
    // The frame keeps the decoder's picture; BGR is made when first asked for.
    ffmpeg::FramePtr decoded = ffmpeg::make_frame();
    av_frame_move_ref(decoded.get(), picture_.get());
    return std::make_shared<Frame>(std::make_shared<const DecodedPicture>(std::move(decoded)),
                                   std::move(origin));
  }

  // Timestamps must increase for the sinks; a missing or repeated one is
  // replaced by the previous one plus a nominal frame duration.
  int64_t next_pts(int64_t pts) {
    if (pts == AV_NOPTS_VALUE || (has_pts_ && pts <= last_pts_))
      pts = has_pts_ ? last_pts_ + expected_pts_step_ : 0;
    has_pts_ = true;
    last_pts_ = pts;
    return pts;
  }

  void record(const std::string& problem) {
    spdlog::warn("source '{}': {}", spec_.name, problem);
    if (errors_.size() < kMaxRecordedErrors) errors_.push_back(problem);
  }

  SourceSpec spec_;
  VideoInputKind kind_;
  Settings settings_;
  ffmpeg::InterruptDeadline deadline_;
  ffmpeg::InputPtr input_;
  ffmpeg::CodecContextPtr decoder_;
  ffmpeg::PacketPtr packet_;
  ffmpeg::FramePtr picture_;
  int stream_index_ = -1;
  AVRational time_base_{1, 1};
  SourceInfo info_;
  std::vector<std::string> errors_;
  std::string input_problem_;
  int64_t next_index_ = 0;
  int64_t packets_read_ = 0;
  int64_t last_pts_ = 0;
  int64_t expected_pts_step_ = 1;
  bool has_pts_ = false;
  bool draining_ = false;
  bool finished_ = false;
  bool waiting_for_keyframe_ = false;
  bool lost_ = false;
};

}  // namespace

std::unique_ptr<Source> open_video_source(const SourceSpec& spec, VideoInputKind kind) {
  return std::make_unique<VideoSource>(spec, kind);
}

}  // namespace neuropipe::media
