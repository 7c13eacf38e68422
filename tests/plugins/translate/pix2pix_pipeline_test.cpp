// pipelines/pix2pix.yaml run by the `neuropipe` CLI of this build tree on a
// cut of a real video (every frame comes out) and on a folder of real photos.
// The pix2pix U-Net-256 (manifest entry pix2pix-facades-unet, offline: export)
// comes from a model cache holding the seeded export of tools/export/pix2pix.py
// where `neuropipe models fetch pix2pix-facades-unet` leaves the real one.
#include <catch2/catch.hpp>
#include <filesystem>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>

#include "shell.hpp"
#include "exports.hpp"
#include "test_support.hpp"
#include "video_frames.hpp"

using namespace neuropipe::test;
namespace fs = std::filesystem;

namespace {

fs::path seeded_pix2pix_export() {
  return export_file("pix2pix/pix2pix-unet256.onnx",
                     "/usr/bin/python3.11 tools/export/pix2pix.py --out " + (exports_dir() / "pix2pix").string());
}

// A model cache whose only model is the export, where the store keeps export-only models.
fs::path cache_with_pix2pix(const TempDir& dir) {
  const fs::path cache = dir / "cache";
  fs::create_directories(cache / "translate");
  fs::create_symlink(seeded_pix2pix_export(), cache / "translate/pix2pix-facades-unet256.onnx");
  return cache;
}

std::string pipeline() { return quoted((source_dir() / "pipelines/pix2pix.yaml").string()); }

}  // namespace

TEST_CASE("pix2pix.yaml translates every frame of a real video", "[translate][pix2pix][cli][integration]") {
  TempDir dir("np-pix2pix-run");
  const fs::path cache = cache_with_pix2pix(dir);
  const fs::path cut = dir / "cut.mp4";
  auto r = run_command("ffmpeg -hide_banner -loglevel error -y -i " +
                       quoted(shared_file("media/video/opencv_vtest.avi").string()) +
                       " -frames:v 6 -c:v libx264 -preset ultrafast " + quoted(cut.string()));
  REQUIRE(r.status == 0);
  r = neuropipe_cli(
      "run " + pipeline() + " --input " + quoted(cut.string()) + " --output " + quoted((dir / "out.mp4").string()),
      cache);
  INFO(r.output);
  REQUIRE(r.status == 0);
  CHECK(frame_count(dir / "out.mp4") == frame_count(cut));
  cv::VideoCapture in(cut.string()), out((dir / "out.mp4").string());
  cv::Mat original, translated;
  REQUIRE(in.read(original));
  REQUIRE(out.read(translated));
  // side_by_side: the original on the left, the generator's picture on the right
  REQUIRE(translated.size() == cv::Size(2 * original.cols, original.rows));
  const cv::Mat right = translated(cv::Rect(original.cols, 0, original.cols, original.rows));
  CHECK(cv::norm(right, original, cv::NORM_L1) / double(original.total() * 3) > 10.0);
}

TEST_CASE("pix2pix.yaml translates a folder of photos with neuropipe batch", "[translate][pix2pix][cli][integration]") {
  TempDir dir("np-pix2pix-batch");
  const fs::path cache = cache_with_pix2pix(dir);
  fs::create_directories(dir / "in");
  fs::copy_file(shared_file("media/image/opencv_building.jpg"), dir / "in/building.jpg");
  fs::copy_file(shared_file("media/image/dog.jpg"), dir / "in/dog.jpg");
  auto r = neuropipe_cli("batch " + pipeline() + " " + quoted((dir / "in").string()) + " " +
                              quoted((dir / "out").string()) + " --set output_mode=replace",
                          cache);
  INFO(r.output);
  REQUIRE(r.status == 0);
  for (const char* name : {"building.jpg", "dog.jpg"}) {
    INFO(name);
    const cv::Mat before = cv::imread((dir / "in" / name).string()), after = cv::imread((dir / "out" / name).string());
    REQUIRE(!after.empty());
    CHECK(after.size() == before.size());
    CHECK(cv::norm(after, before, cv::NORM_L1) / double(before.total() * 3) > 10.0);
  }
}
