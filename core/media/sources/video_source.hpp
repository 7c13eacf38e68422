#pragma once
// Sources decoded by FFmpeg: video files, cameras (v4l2), network streams
// and lavfi filter graphs (a hardware-free camera stand-in). They share one
// demux -> decode -> BGR path and differ in how they open and how they end.
#include <memory>

#include "neuropipe/media/source.hpp"

namespace neuropipe::media {

enum class VideoInputKind { file, camera, stream, lavfi };

std::unique_ptr<Source> open_video_source(const SourceSpec& spec, VideoInputKind kind);

}  // namespace neuropipe::media
