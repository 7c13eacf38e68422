// pipelines/colorize.yaml run by the `neuropipe` CLI of this build tree on a
// cut of a real video (every frame comes out, in colour) and, as the
// batch-convert job, on a folder of black-and-white photos made from real ones.
// The ECCV16 network (manifest colorization-eccv16, offline: export) comes from
// a model cache holding the seeded export of tools/export/colorization.py, where
// `neuropipe models fetch colorization-eccv16` leaves the real one.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "shell.hpp"
#include "colorize_exports.hpp"
#include "test_support.hpp"
#include "video_frames.hpp"

using namespace neuropipe::test;
namespace fs = std::filesystem;

namespace {

// A model cache whose only model is the export, where the store keeps export-only models.
fs::path cache_with_eccv16(const TempDir& dir) {
  const fs::path cache = dir / "cache";
  fs::create_directories(cache / "colorize");
  fs::create_symlink(colorization_export("colorization-eccv16.onnx"), cache / "colorize/colorization-eccv16.onnx");
  return cache;
}

std::string pipeline() { return quoted((source_dir() / "pipelines/colorize.yaml").string()); }

// Mean |B-G| + |G-R|: 0 for grey pictures.
double colourfulness(const cv::Mat& bgr) {
  std::vector<cv::Mat> c;
  cv::split(bgr, c);
  cv::Mat bg, gr;
  cv::absdiff(c[0], c[1], bg);
  cv::absdiff(c[1], c[2], gr);
  return cv::mean(bg)[0] + cv::mean(gr)[0];
}

size_t json_lines(const fs::path& file) {
  std::ifstream in(file);
  size_t n = 0;
  for (std::string line; std::getline(in, line);) {
    const auto j = nlohmann::json::parse(line);
    CHECK(j.dump().find("output_chroma") != std::string::npos);
    ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("colorize.yaml colours every frame of a black-and-white video", "[colorize][cli][integration]") {
  TempDir dir("np-colorize-run");
  const fs::path cache = cache_with_eccv16(dir);
  const fs::path cut = dir / "bw.mp4";
  auto r = run_command("ffmpeg -hide_banner -loglevel error -y -i " +
                       quoted(shared_file("media/video/opencv_vtest.avi").string()) +
                       " -frames:v 5 -vf format=gray -c:v libx264 -preset ultrafast -pix_fmt yuv420p " +
                       quoted(cut.string()));
  REQUIRE(r.status == 0);
  r = neuropipe_cli(
      "run " + pipeline() + " --input " + quoted(cut.string()) + " --output " + quoted((dir / "out.mp4").string()),
      cache);
  INFO(r.output);
  REQUIRE(r.status == 0);
  CHECK(frame_count(dir / "out.mp4") == frame_count(cut));
  cv::VideoCapture in(cut.string()), out((dir / "out.mp4").string());
  cv::Mat grey, coloured;
  REQUIRE(in.read(grey));
  REQUIRE(out.read(coloured));
  CHECK(coloured.size() == grey.size());
  CHECK(colourfulness(grey) < 2.0);
  CHECK(colourfulness(coloured) > 4.0);
  CHECK(json_lines(dir / "out.mp4.jsonl") == size_t(frame_count(cut)));
}

TEST_CASE("colorize.yaml converts a folder of black-and-white photos with neuropipe batch",
          "[colorize][cli][integration]") {
  TempDir dir("np-colorize-batch");
  const fs::path cache = cache_with_eccv16(dir);
  fs::create_directories(dir / "in/album");
  for (const char* name : {"skimage_camera.png", "opencv_messi5.jpg"}) {
    cv::Mat grey = cv::imread(shared_file(std::string("media/image/") + name).string(), cv::IMREAD_GRAYSCALE);
    REQUIRE(!grey.empty());
    cv::imwrite((dir / "in/album" / fs::path(name).replace_extension(".png")).string(), grey);
  }
  auto r = neuropipe_cli(
      "batch " + pipeline() + " " + quoted((dir / "in").string()) + " " + quoted((dir / "out").string()), cache);
  INFO(r.output);
  REQUIRE(r.status == 0);
  for (const char* name : {"skimage_camera.png", "opencv_messi5.png"}) {
    INFO(name);
    const cv::Mat before = cv::imread((dir / "in/album" / name).string());
    const cv::Mat after = cv::imread((dir / "out/album" / name).string());
    REQUIRE(!after.empty());
    CHECK(after.size() == before.size());
    CHECK(colourfulness(before) < 1.0);
    CHECK(colourfulness(after) > 4.0);
  }
}
