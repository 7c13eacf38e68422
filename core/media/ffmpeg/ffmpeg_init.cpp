#include "media/ffmpeg/ffmpeg_init.hpp"

#include <spdlog/spdlog.h>

#include <mutex>
#include <string>

extern "C" {
#include <libavdevice/avdevice.h>
#include <libavformat/avformat.h>
#include <libavutil/log.h>
}

namespace neuropipe::media::ffmpeg {

namespace {

// FFmpeg's own errors (a damaged slice, a dropped UDP packet) are expected
// while decoding real media and are also counted in Source::errors(), so
// they are warnings for us; FFmpeg's warnings and chatter are debug output.
spdlog::level::level_enum spdlog_level(int av_level) {
  if (av_level <= AV_LOG_ERROR) return spdlog::level::warn;
  if (av_level <= AV_LOG_VERBOSE) return spdlog::level::debug;
  return spdlog::level::trace;
}

void forward_log_line(void* context, int av_level, const char* format, va_list args) {
  const auto level = spdlog_level(av_level);
  if (av_level > av_log_get_level() || !spdlog::should_log(level)) return;
  thread_local int print_prefix = 1;  // FFmpeg's line-continuation state, per calling thread
  char line[1024];
  av_log_format_line2(context, av_level, format, args, line, sizeof line, &print_prefix);
  std::string text(line);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (!text.empty()) spdlog::log(level, "ffmpeg: {}", text);
}

}  // namespace

void ensure_initialized() {
  static std::once_flag once;
  std::call_once(once, [] {
    avdevice_register_all();
    avformat_network_init();
    av_log_set_callback(forward_log_line);
  });
}

}  // namespace neuropipe::media::ffmpeg
