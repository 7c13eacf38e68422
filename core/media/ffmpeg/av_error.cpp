#include "media/ffmpeg/av_error.hpp"

extern "C" {
#include <libavutil/error.h>
}

#include "neuropipe/error.hpp"

namespace neuropipe::media::ffmpeg {

std::string error_text(int averror) {
  char buffer[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(averror, buffer, sizeof buffer);
  return buffer;
}

void check(int averror, const std::string& what) {
  if (averror < 0) throw Error(what + ": " + error_text(averror));
}

}  // namespace neuropipe::media::ffmpeg
