// Image folder sink: one image file per frame. Frames from an image folder
// keep their relative path (the output mirrors the input tree); others are
// named frame_000000.png by index. Each file appears atomically.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <vector>

#include "media/atomic_file.hpp"
#include "media/options.hpp"
#include "media/sinks/sink_kinds.hpp"

namespace neuropipe::media {

namespace {

namespace fs = std::filesystem;

// A relative path that stays inside the output folder ("../x.jpg" from an
// image list would escape it: only its file name is kept then).
fs::path contained(const std::string& relative_path) {
  const fs::path normal = fs::path(relative_path).lexically_normal();
  if (normal.is_absolute() || normal.empty() || *normal.begin() == "..") return normal.filename();
  return normal;
}

class ImageFolderSink final : public Sink {
 public:
  explicit ImageFolderSink(const SinkSpec& spec) : root_(spec.uri), owner_("sink '" + spec.name + "'") {
    Options options(spec.options, owner_);
    format_ = options.text("format", "keep");
    if (format_ != "keep" && format_ != "png" && format_ != "jpg" && format_ != "jpeg" && format_ != "bmp" &&
        format_ != "tif" && format_ != "tiff" && format_ != "webp")
      throw Error(owner_ + " option format: expected png, jpg, bmp, tif, webp or keep, got '" + format_ +
                  "'");
    const int quality = static_cast<int>(options.integer("quality", 95));
    if (quality < 0 || quality > 100)
      throw Error(owner_ + " option quality: expected 0..100, got " + std::to_string(quality));
    encode_params_ = {cv::IMWRITE_JPEG_QUALITY, quality, cv::IMWRITE_WEBP_QUALITY, std::max(1, quality)};
    for (const auto& [key, value] : options.unread())
      spdlog::warn("{}: unknown option '{}' for an image folder sink; ignored", owner_, key);
    std::error_code ec;
    fs::create_directories(root_, ec);
    if (ec) throw Error(owner_ + ": cannot create output folder '" + root_.string() + "': " + ec.message());
  }

  void write(const Frame& frame) override {
    const fs::path path = root_ / file_name(frame.origin());
    const cv::Mat image = frame.image();
    std::vector<uchar> bytes;
    if (image.empty() || !cv::imencode(path.extension().string(), image, bytes, encode_params_))
      throw Error(owner_ + ": cannot encode frame " + std::to_string(frame.origin().index) + " as '" +
                  path.string() + "'");
    write_file_atomically(path, bytes.data(), bytes.size());
  }

  // Every image was published when written: nothing is pending.
  void close() override {}
  void abort() override {}

 private:
  fs::path file_name(const FrameOrigin& origin) const {
    const std::string extension = format_ == "keep" ? "" : "." + format_;
    if (!origin.relative_path.empty()) {
      fs::path name = contained(origin.relative_path);
      if (!extension.empty()) name.replace_extension(extension);
      return name;
    }
    char numbered[32];
    std::snprintf(numbered, sizeof numbered, "frame_%06lld", static_cast<long long>(origin.index));
    return std::string(numbered) + (extension.empty() ? ".png" : extension);
  }

  fs::path root_;
  std::string owner_;
  std::string format_;
  std::vector<int> encode_params_;
};

}  // namespace

std::unique_ptr<Sink> open_image_folder_sink(const SinkSpec& spec, const SourceInfo&) {
  return std::make_unique<ImageFolderSink>(spec);
}

}  // namespace neuropipe::media
