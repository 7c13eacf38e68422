// Network stream sink: H.264 (zero-latency tuning, one keyframe a second so
// receivers can join quickly) as MPEG-TS over udp/tcp/srt, RTP, RTMP (FLV)
// or pushed to an RTSP server.
#include <spdlog/spdlog.h>

#include <cmath>
#include <optional>

#include "media/options.hpp"
#include "media/sinks/sink_kinds.hpp"
#include "media/sinks/video_writer.hpp"

namespace neuropipe::media {

namespace {

std::string scheme_of(const std::string& uri) {
  const auto colon = uri.find("://");
  return colon == std::string::npos ? "" : uri.substr(0, colon);
}

std::string container_for(const std::string& scheme) {
  if (scheme == "rtsp") return "rtsp";
  if (scheme == "rtmp" || scheme == "rtmps") return "flv";
  if (scheme == "rtp") return "rtp_mpegts";
  return "mpegts";
}

// MPEG-TS over UDP: 7 TS packets per datagram, the size receivers expect.
std::string with_packet_size(const std::string& uri, const std::string& scheme) {
  if (scheme != "udp" || uri.find("pkt_size=") != std::string::npos) return uri;
  return uri + (uri.find('?') == std::string::npos ? "?" : "&") + "pkt_size=1316";
}

class StreamSink final : public Sink {
 public:
  StreamSink(const SinkSpec& spec, const SourceInfo& input) {
    const std::string owner = "sink '" + spec.name + "'";
    const std::string scheme = scheme_of(spec.uri);
    if (scheme.empty())
      throw Error(owner + ": stream uri '" + spec.uri + "' has no scheme (udp://, tcp://, rtsp://, ...)");
    Options options(spec.options, owner);
    settings_.url = with_packet_size(spec.uri, scheme);
    settings_.display_name = spec.uri;
    settings_.container = options.text("format", container_for(scheme));
    settings_.codec = options.text("codec", "");
    settings_.fps = options.number("fps", input.fps > 0 ? input.fps : 25.0);
    settings_.gop = static_cast<int>(options.integer("gop", std::lround(std::max(1.0, settings_.fps))));
    settings_.low_latency = true;
    settings_.threads = static_cast<int>(options.integer("threads", 0));
    settings_.timeout = std::chrono::milliseconds(options.integer("timeout_ms", 5000));
    settings_.codec_options = {{"crf", options.text("crf", "23")},
                               {"preset", options.text("preset", "veryfast")}};
    // RTSP push over TCP: no lost packets on a busy link, and no UDP ports to open.
    if (scheme == "rtsp")
      settings_.muxer_options = {{"rtsp_transport", options.text("rtsp_transport", "tcp")}};
    for (const auto& [key, value] : options.unread())
      spdlog::warn("{}: unknown option '{}' for a stream sink; ignored", owner, key);
  }

  void write(const Frame& frame) override {
    if (closed_) throw Error(settings_.display_name + ": write after close");
    if (!writer_) writer_.emplace(settings_, frame);
    writer_->write(frame);
  }
  void close() override {
    if (closed_) return;
    closed_ = true;
    if (writer_) writer_->finish();
    writer_.reset();
  }
  void abort() override {
    closed_ = true;
    writer_.reset();
  }

 private:
  VideoWriterSettings settings_;
  std::optional<VideoWriter> writer_;
  bool closed_ = false;
};

}  // namespace

std::unique_ptr<Sink> open_stream_sink(const SinkSpec& spec, const SourceInfo& input) {
  return std::make_unique<StreamSink>(spec, input);
}

}  // namespace neuropipe::media
