#pragma once

namespace neuropipe::media::ffmpeg {

// Once per process: registers libavdevice's inputs (v4l2, lavfi), starts the
// network layer and routes FFmpeg's log lines into spdlog. Every entry point
// that opens an FFmpeg context calls it first; later calls cost nothing.
void ensure_initialized();

}  // namespace neuropipe::media::ffmpeg
