#include "mask_files.hpp"

#include <cstdio>
#include <fstream>
#include <neuropipe/error.hpp>
#include <opencv2/imgcodecs.hpp>
#include <thread>

namespace fs = std::filesystem;

namespace neuropipe::segment {

fs::path mask_file_name(const FrameOrigin& origin) {
  if (!origin.relative_path.empty()) return fs::path(origin.relative_path).replace_extension(".png");
  if (!origin.path.empty()) return fs::path(origin.path).filename().replace_extension(".png");
  char index[32];
  std::snprintf(index, sizeof index, "_%06lld.png", static_cast<long long>(origin.index));
  return (origin.source.empty() ? std::string("frame") : origin.source) + index;
}

void write_mask_png(const cv::Mat& labels, const fs::path& folder, const fs::path& name) {
  const fs::path target = folder / name;
  std::vector<uchar> png;
  if (!cv::imencode(".png", labels, png))
    throw Error("segment: cannot encode mask PNG for " + target.string());
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  if (ec)
    throw Error("segment: cannot create mask folder " + target.parent_path().string() + ": " + ec.message());
  // A name unique to this thread: frames of several threads may write at once.
  const fs::path partial = target.string() + ".partial-" +
                           std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id()));
  {
    std::ofstream out(partial, std::ios::binary);
    out.write(reinterpret_cast<const char*>(png.data()), static_cast<std::streamsize>(png.size()));
    if (!out.flush()) throw Error("segment: cannot write mask " + partial.string());
  }
  fs::rename(partial, target, ec);
  if (ec) {
    fs::remove(partial);
    throw Error("segment: cannot publish mask " + target.string() + ": " + ec.message());
  }
}

}  // namespace neuropipe::segment
