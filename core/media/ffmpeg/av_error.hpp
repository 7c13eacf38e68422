#pragma once
// FFmpeg reports failures as negative integers; these turn them into text
// and into neuropipe::Error messages that say what was being done to what.
#include <string>

namespace neuropipe::media::ffmpeg {

// "Invalid data found when processing input" for AVERROR_INVALIDDATA, etc.
std::string error_text(int averror);

// Throws neuropipe::Error("<what>: <FFmpeg's reason>") when `averror` < 0.
void check(int averror, const std::string& what);

}  // namespace neuropipe::media::ffmpeg
