// open_source(): picks the source implementation for a spec, resolving kind
// "auto" from the shape of the uri.
#include <filesystem>

#include "media/sources/image_source.hpp"
#include "media/sources/video_source.hpp"
#include "neuropipe/media/source.hpp"

namespace neuropipe::media {

namespace {

bool has_scheme(const std::string& uri) { return uri.find("://") != std::string::npos; }

std::string auto_kind(const std::string& uri) {
  if (has_scheme(uri)) return "stream";
  if (uri.rfind("/dev/video", 0) == 0) return "camera";
  if (std::filesystem::is_directory(uri)) return "images";
  if (std::filesystem::path(uri).extension() == ".txt") return "list";
  if (is_image_path(uri)) return "image";
  return "video";
}

// "file:///a/b.mp4" is a plain path for every kind that reads files.
SourceSpec without_file_scheme(SourceSpec spec) {
  if (spec.uri.rfind("file://", 0) == 0) spec.uri.erase(0, 7);
  return spec;
}

}  // namespace

std::unique_ptr<Source> open_source(const SourceSpec& requested) {
  const SourceSpec spec = without_file_scheme(requested);
  if (spec.uri.empty()) throw Error("source '" + spec.name + "' has no uri");
  const std::string kind = spec.kind.empty() || spec.kind == "auto" ? auto_kind(spec.uri) : spec.kind;
  if (kind == "video") return open_video_source(spec, VideoInputKind::file);
  if (kind == "camera") return open_video_source(spec, VideoInputKind::camera);
  if (kind == "stream") return open_video_source(spec, VideoInputKind::stream);
  if (kind == "lavfi") return open_video_source(spec, VideoInputKind::lavfi);
  if (kind == "images") return open_image_source(spec, ImageInputKind::folder);
  if (kind == "image") return open_image_source(spec, ImageInputKind::single);
  if (kind == "list") return open_image_source(spec, ImageInputKind::list);
  throw Error("source '" + spec.name + "': unknown kind '" + spec.kind +
              "' (expected auto, video, camera, stream, images, image, list or lavfi)");
}

}  // namespace neuropipe::media
