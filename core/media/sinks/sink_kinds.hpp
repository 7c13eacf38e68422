#pragma once
// One factory per sink kind; open_sink() picks among them.
#include <memory>

#include "neuropipe/media/sink.hpp"

namespace neuropipe::media {

std::unique_ptr<Sink> open_video_file_sink(const SinkSpec& spec, const SourceInfo& input);
std::unique_ptr<Sink> open_image_folder_sink(const SinkSpec& spec, const SourceInfo& input);
std::unique_ptr<Sink> open_jsonl_sink(const SinkSpec& spec, const SourceInfo& input);
std::unique_ptr<Sink> open_preview_sink(const SinkSpec& spec, const SourceInfo& input);
std::unique_ptr<Sink> open_stream_sink(const SinkSpec& spec, const SourceInfo& input);

}  // namespace neuropipe::media
