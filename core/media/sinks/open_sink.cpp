// open_sink(): picks the sink implementation for a spec.
#include <filesystem>

#include "media/sinks/sink_kinds.hpp"

namespace neuropipe::media {

namespace {

// An empty kind is decided from the uri: a URL streams, .jsonl is JSON
// lines, another extension is a video file, no extension an image folder.
std::string auto_kind(const std::string& uri) {
  if (uri.find("://") != std::string::npos) return "stream";
  const std::string extension = std::filesystem::path(uri).extension().string();
  if (extension == ".jsonl" || extension == ".ndjson") return "jsonl";
  return extension.empty() ? "images" : "video";
}

}  // namespace

std::unique_ptr<Sink> open_sink(const SinkSpec& spec, const SourceInfo& input) {
  const std::string kind = spec.kind.empty() || spec.kind == "auto" ? auto_kind(spec.uri) : spec.kind;
  if (kind != "preview" && spec.uri.empty()) throw Error("sink '" + spec.name + "' has no uri");
  if (kind == "video") return open_video_file_sink(spec, input);
  if (kind == "images") return open_image_folder_sink(spec, input);
  if (kind == "jsonl") return open_jsonl_sink(spec, input);
  if (kind == "preview") return open_preview_sink(spec, input);
  if (kind == "stream") return open_stream_sink(spec, input);
  throw Error("sink '" + spec.name + "': unknown kind '" + spec.kind +
              "' (expected video, images, jsonl, preview or stream)");
}

}  // namespace neuropipe::media
