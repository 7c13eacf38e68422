// Video file sink: encodes into a temporary sibling of the target and
// renames it on close(), so a half-written video never carries the final name.
#include <spdlog/spdlog.h>

#include <optional>

#include "media/atomic_file.hpp"
#include "media/ffmpeg/ffmpeg_init.hpp"
#include "media/options.hpp"
#include "media/sinks/sink_kinds.hpp"
#include "media/sinks/video_writer.hpp"

extern "C" {
#include <libavformat/avformat.h>
}

namespace neuropipe::media {

namespace {

// The muxer follows the final name's extension (the temp name has none).
std::string container_for(const std::string& path, const std::string& owner) {
  const AVOutputFormat* format = av_guess_format(nullptr, path.c_str(), nullptr);
  if (!format)
    throw Error(owner + ": no container format for '" + path + "' (use .mp4, .mkv, .avi, .mov, ...)");
  return format->name;
}

class VideoFileSink final : public Sink {
 public:
  VideoFileSink(const SinkSpec& spec, const SourceInfo& input) : file_(spec.uri) {
    ffmpeg::ensure_initialized();
    const std::string owner = "sink '" + spec.name + "'";
    Options options(spec.options, owner);
    settings_.url = file_.temp_path().string();
    settings_.display_name = spec.uri;
    settings_.container = container_for(spec.uri, owner);
    settings_.codec = options.text("codec", "");
    settings_.fps = options.number("fps", input.fps > 0 ? input.fps : 25.0);
    settings_.threads = static_cast<int>(options.integer("threads", 0));
    settings_.codec_options = {{"crf", options.text("crf", "23")},
                               {"preset", options.text("preset", "medium")}};
    for (const auto& [key, value] : options.unread())
      spdlog::warn("{}: unknown option '{}' for a video file sink; ignored", owner, key);
  }
  ~VideoFileSink() override { abort(); }

  void write(const Frame& frame) override {
    if (closed_) throw Error(file_.final_path().string() + ": write after close");
    try {
      if (!writer_) writer_.emplace(settings_, frame);
      writer_->write(frame);
    } catch (...) {
      abort();  // no partial file survives a failure
      throw;
    }
  }

  void close() override {
    if (closed_) return;
    if (!writer_) {
      spdlog::warn("{}: no frames arrived; no video written", file_.final_path().string());
      return abort();
    }
    try {
      writer_->finish();
      writer_.reset();
      file_.commit();
    } catch (...) {
      abort();
      throw;
    }
    closed_ = true;
  }

  void abort() override {
    writer_.reset();
    file_.discard();
    closed_ = true;
  }

 private:
  AtomicFile file_;
  VideoWriterSettings settings_;
  std::optional<VideoWriter> writer_;
  bool closed_ = false;
};

}  // namespace

std::unique_ptr<Sink> open_video_file_sink(const SinkSpec& spec, const SourceInfo& input) {
  return std::make_unique<VideoFileSink>(spec, input);
}

}  // namespace neuropipe::media
