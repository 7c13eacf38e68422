#include "media/sinks/video_writer.hpp"

#include <spdlog/spdlog.h>

#include <cmath>

extern "C" {
#include <libavutil/opt.h>
}

#include "media/decoded_picture.hpp"
#include "media/ffmpeg/av_error.hpp"
#include "media/ffmpeg/ffmpeg_init.hpp"
#include "neuropipe/error.hpp"

namespace neuropipe::media {

namespace {

// MPEG-4 part 2 and some muxers reject time bases finer than 16 bits; such
// sources (mp4's 1/200000, say) are written in 1/fps units instead.
constexpr int kMaxTimeBaseDenominator = 65535;

const AVCodec* choose_encoder(const std::string& name, const std::string& owner) {
  if (!name.empty()) {
    const AVCodec* codec = avcodec_find_encoder_by_name(name.c_str());
    if (!codec || codec->type != AVMEDIA_TYPE_VIDEO)
      throw Error(owner + ": no video encoder named '" + name + "'");
    return codec;
  }
  if (const AVCodec* x264 = avcodec_find_encoder_by_name("libx264")) return x264;
  return avcodec_find_encoder(AV_CODEC_ID_MPEG4);
}

// Matrices the BGR path would also encode with (it writes BT.601 limited
// range, untagged): only such pictures may skip the round trip unchanged.
bool bt601_limited(const AVFrame& picture) {
  const bool matrix_601 = picture.colorspace == AVCOL_SPC_UNSPECIFIED ||
                          picture.colorspace == AVCOL_SPC_BT470BG || picture.colorspace == AVCOL_SPC_SMPTE170M;
  return matrix_601 && picture.color_range != AVCOL_RANGE_JPEG;
}

bool encoder_has_option(const AVCodecContext& encoder, const std::string& option) {
  return encoder.priv_data && av_opt_find(encoder.priv_data, option.c_str(), nullptr, 0, 0);
}

}  // namespace

VideoWriter::VideoWriter(VideoWriterSettings settings, const Frame& first)
    : settings_(std::move(settings)), deadline_(settings_.timeout) {
  ffmpeg::ensure_initialized();
  const cv::Mat image = first.image();
  // yuv420p needs even sizes: an odd last row/column is cropped, not scaled.
  const int width = image.cols & ~1, height = image.rows & ~1;
  if (width == 0 || height == 0) throw Error(settings_.display_name + ": first frame is too small to encode");
  frame_rate_ = av_d2q(settings_.fps > 0 ? settings_.fps : 25.0, 100000);
  source_time_base_ = first.origin().time_base;
  const AVRational source = av_d2q(source_time_base_, INT32_MAX);
  const bool usable = source_time_base_ > 0 && source.num > 0 && source.den <= kMaxTimeBaseDenominator;
  time_base_ = usable ? source : av_inv_q(frame_rate_);
  first_pts_ = first.origin().pts;
  open_encoder(width, height);
  open_container();
}

VideoWriter::~VideoWriter() {
  // Ends network sessions cleanly (RTSP TEARDOWN); errors no longer matter here.
  if (header_written_ && !finished_) av_write_trailer(container_.get());
}

std::string VideoWriter::failure(const std::string& what, int averror) const {
  std::string reason = ffmpeg::error_text(averror);
  if (deadline_.expired())
    reason += " (timed out after " + std::to_string(settings_.timeout.count()) + " ms)";
  return "cannot " + what + " '" + settings_.display_name + "': " + reason;
}

void VideoWriter::open_encoder(int width, int height) {
  const AVCodec* codec = choose_encoder(settings_.codec, settings_.display_name);
  encoder_.reset(avcodec_alloc_context3(codec));
  encoder_->width = width;
  encoder_->height = height;
  encoder_->pix_fmt = AV_PIX_FMT_YUV420P;
  encoder_->time_base = time_base_;
  encoder_->framerate = frame_rate_;
  encoder_->thread_count = settings_.threads;
  if (settings_.gop > 0) encoder_->gop_size = settings_.gop;
  if (settings_.low_latency) encoder_->max_b_frames = 0;

  AVDictionary* options = nullptr;
  for (const auto& [key, value] : settings_.codec_options)
    if (encoder_has_option(*encoder_, key))
      av_dict_set(&options, key.c_str(), value.c_str(), 0);
    else
      spdlog::debug("{}: encoder {} has no option '{}'; ignored", settings_.display_name, codec->name, key);
  if (settings_.low_latency && encoder_has_option(*encoder_, "tune"))
    av_dict_set(&options, "tune", "zerolatency", 0);
  if (!encoder_has_option(*encoder_, "crf")) {
    // Constant quality for encoders without crf (mpeg4): their default is a
    // 200 kb/s bit rate that smears any real video.
    encoder_->flags |= AV_CODEC_FLAG_QSCALE;
    encoder_->global_quality = FF_QP2LAMBDA * 4;
  }
  // Containers that keep codec headers once (mp4, mkv) need them out of band.
  // RTSP could too, but in-band headers at every keyframe let late viewers join.
  if (settings_.container != "rtsp") {
    const AVOutputFormat* format = av_guess_format(settings_.container.c_str(), nullptr, nullptr);
    if (format && (format->flags & AVFMT_GLOBALHEADER)) encoder_->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  }
  const int rc = avcodec_open2(encoder_.get(), codec, &options);
  av_dict_free(&options);
  if (rc < 0) throw Error(failure(std::string("open the ") + codec->name + " encoder for", rc));

  picture_ = ffmpeg::make_frame();
  picture_->format = encoder_->pix_fmt;
  picture_->width = width;
  picture_->height = height;
  ffmpeg::check(av_frame_get_buffer(picture_.get(), 0), settings_.display_name + ": frame buffer");
  packet_ = ffmpeg::make_packet();
  passthrough_ = ffmpeg::make_frame();
}

void VideoWriter::open_container() {
  AVFormatContext* context = nullptr;
  int rc =
      avformat_alloc_output_context2(&context, nullptr, settings_.container.c_str(), settings_.url.c_str());
  if (rc < 0) throw Error(failure("set up the " + settings_.container + " muxer for", rc));
  container_.reset(context);
  container_->interrupt_callback = deadline_.callback();
  stream_ = avformat_new_stream(container_.get(), nullptr);
  if (!stream_) throw Error(failure("add a video stream to", AVERROR(ENOMEM)));
  ffmpeg::check(avcodec_parameters_from_context(stream_->codecpar, encoder_.get()), settings_.display_name);
  stream_->time_base = time_base_;  // a hint: the muxer picks its own in write_header
  stream_->avg_frame_rate = frame_rate_;
  if (!(container_->oformat->flags & AVFMT_NOFILE)) {
    deadline_.arm();
    rc = avio_open2(&container_->pb, settings_.url.c_str(), AVIO_FLAG_WRITE, &container_->interrupt_callback,
                    nullptr);
    if (rc < 0) throw Error(failure("create", rc));
  }
  AVDictionary* options = nullptr;
  for (const auto& [key, value] : settings_.muxer_options)
    av_dict_set(&options, key.c_str(), value.c_str(), 0);
  deadline_.arm();
  rc = avformat_write_header(container_.get(), &options);
  av_dict_free(&options);
  if (rc < 0) throw Error(failure("write the header of", rc));
  header_written_ = true;
}

// Source timestamps, shifted to start at 0 and rescaled to the encoder's
// time base; frames without timestamps (or going backwards) get the next tick.
int64_t VideoWriter::encoder_pts(const FrameOrigin& origin) {
  int64_t pts = frames_written_ == 0 ? 0 : last_pts_ + 1;
  if (source_time_base_ > 0 && origin.time_base > 0)
    pts = std::llround(static_cast<double>(origin.pts - first_pts_) * origin.time_base / av_q2d(time_base_));
  pts = std::max(pts, last_pts_ + 1);
  last_pts_ = pts;
  return pts;
}

// The decoded picture itself, when no node replaced the frame's image and it
// already has the encoder's pixel format, size and colour matrix.
std::shared_ptr<const DecodedPicture> VideoWriter::encodable_as_is(const Frame& frame) const {
  auto decoded = std::dynamic_pointer_cast<const DecodedPicture>(frame.source_picture());
  if (!decoded) return nullptr;
  const AVFrame& picture = decoded->picture();
  const bool fits = picture.format == encoder_->pix_fmt && picture.width == encoder_->width &&
                    picture.height == encoder_->height && bt601_limited(picture);
  return fits ? decoded : nullptr;
}

void VideoWriter::write(const Frame& frame) {
  if (finished_) throw Error(settings_.display_name + ": write after close");
  if (const auto decoded = encodable_as_is(frame)) {
    // A new reference to the same pixels: nothing is copied or converted.
    av_frame_unref(passthrough_.get());
    ffmpeg::check(av_frame_ref(passthrough_.get(), &decoded->picture()),
                  settings_.display_name + ": frame reference");
    passthrough_->pts = encoder_pts(frame.origin());
    passthrough_->pict_type = AV_PICTURE_TYPE_NONE;  // the encoder chooses frame types, not the source
    send_to_encoder(passthrough_.get());
    av_frame_unref(passthrough_.get());
    ++frames_written_;
    return;
  }
  cv::Mat image = frame.image();
  if (image.empty())
    throw Error(settings_.display_name + ": frame " + std::to_string(frame.origin().index) + " has no image");
  if (image.type() != CV_8UC3)
    throw Error(settings_.display_name + ": frame " + std::to_string(frame.origin().index) +
                " is not BGR 8-bit");
  if ((image.cols & 1) || (image.rows & 1)) image = image(cv::Rect(0, 0, image.cols & ~1, image.rows & ~1));
  // The encoder may still hold the previous picture: writable() copies only then.
  ffmpeg::check(av_frame_make_writable(picture_.get()), settings_.display_name + ": frame buffer");
  converter_.from_bgr(image, *picture_);
  picture_->pts = encoder_pts(frame.origin());
  send_to_encoder(picture_.get());
  ++frames_written_;
}

void VideoWriter::send_to_encoder(const AVFrame* picture) {
  int rc = avcodec_send_frame(encoder_.get(), picture);
  if (rc < 0) throw Error(failure("encode a frame for", rc));
  while ((rc = avcodec_receive_packet(encoder_.get(), packet_.get())) == 0) write_packet(*packet_);
  if (rc != AVERROR(EAGAIN) && rc != AVERROR_EOF) throw Error(failure("encode a frame for", rc));
}

void VideoWriter::write_packet(AVPacket& packet) {
  // The encoder leaves the last packet's duration at 0, and mp4's edit list
  // then drops that frame: give every packet one nominal frame at least.
  if (packet.duration <= 0)
    packet.duration = std::max<int64_t>(1, av_rescale_q(1, av_inv_q(frame_rate_), time_base_));
  av_packet_rescale_ts(&packet, time_base_, stream_->time_base);
  packet.stream_index = stream_->index;
  deadline_.arm();
  const int rc = av_interleaved_write_frame(container_.get(), &packet);  // takes the packet's reference
  if (rc < 0) throw Error(failure("write", rc));
}

void VideoWriter::finish() {
  if (finished_) return;
  send_to_encoder(nullptr);
  deadline_.arm();
  int rc = av_write_trailer(container_.get());
  finished_ = true;
  if (rc < 0) throw Error(failure("finish", rc));
  if (!(container_->oformat->flags & AVFMT_NOFILE)) {
    rc = avio_closep(&container_->pb);
    if (rc < 0) throw Error(failure("close", rc));
  }
}

}  // namespace neuropipe::media
