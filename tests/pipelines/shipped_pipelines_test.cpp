// The shipped pipeline files, run by the `neuropipe` CLI of this build tree
// on a short cut of a real video and on a folder of real pictures.
#include <catch2/catch.hpp>

#include "json_lines.hpp"
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "shell.hpp"
#include "test_support.hpp"

using namespace neuropipe::test;
namespace fs = std::filesystem;

namespace {

std::string pipeline(const std::string& name) { return quoted((source_dir() / "pipelines" / name).string()); }

// The first `frames` frames of a shared video, re-encoded into `dir`.
fs::path video_cut(const TempDir& dir, const std::string& video, int frames) {
  const fs::path out = dir / "cut.mp4";
  auto r = run_command("ffmpeg -hide_banner -loglevel error -y -i " + quoted(shared_file(video).string()) +
                       " -frames:v " + std::to_string(frames) + " -c:v libx264 -preset ultrafast " +
                       quoted(out.string()));
  INFO(r.output);
  REQUIRE(r.status == 0);
  return out;
}

// A node's results: the JSON-lines sink keys them by node name.
const nlohmann::json& node_result(const nlohmann::json& line, const std::string& node) {
  if (!line.contains(node)) FAIL("no '" << node << "' in " << line.dump());
  return line[node];
}

}  // namespace

TEST_CASE("classify.yaml labels a folder of pictures with neuropipe batch", "[classify][cli][integration]") {
  TempDir dir("np-classify-batch");
  fs::create_directories(dir / "in");
  fs::copy_file(shared_file("media/image/kitten_224.png"), dir / "in/kitten.png");
  fs::copy_file(shared_file("media/image/dog.jpg"), dir / "in/dog.jpg");
  auto r = neuropipe_cli("batch " + pipeline("classify.yaml") + " " + quoted((dir / "in").string()) + " " +
                         quoted((dir / "out").string()));
  INFO(r.output);
  REQUIRE(r.status == 0);
  std::map<std::string, std::string> top;
  for (const auto& entry : fs::recursive_directory_iterator(dir / "out"))
    if (entry.path().extension() == ".jsonl")
      for (const auto& line : json_lines(entry.path())) {
        const auto& labels = node_result(line, "classify");
        REQUIRE(labels.is_array());
        REQUIRE(labels.size() == 5);
        CHECK(labels[0].contains("score"));
        CHECK(labels[0].contains("class_id"));
        top[entry.path().filename().string()] = labels[0]["label"];
      }
  REQUIRE(top.size() == 2);
  CHECK(top.begin()->second == "golden retriever");  // dog.jsonl sorts first
  CHECK(top.rbegin()->second == "tabby");
  // overlay runs after classify, so the labels are drawn in the top-left corner and nowhere else.
  const cv::Mat before = cv::imread((dir / "in/dog.jpg").string()),
                after = cv::imread((dir / "out/dog.jpg").string());
  REQUIRE(after.size() == before.size());
  cv::Mat diff;
  cv::absdiff(before, after, diff);
  const cv::Rect corner(0, 0, before.cols / 3, before.rows / 10),
      middle(0, before.rows / 3, before.cols, before.rows / 3);
  CHECK(cv::mean(diff(corner))[0] > 20.0);
  CHECK(cv::mean(diff(middle))[0] < 3.0);  // JPEG re-encoding only
}

TEST_CASE("classify.yaml and segment.yaml annotate a real video", "[classify][segment][cli][integration]") {
  TempDir dir("np-classify-video");
  const fs::path clip = video_cut(dir, "media/video/intel_one-by-one-person-detection.mp4", 8);
  for (const std::string name : {"classify", "segment"}) {
    INFO(name);
    const fs::path out = dir / (name + ".mp4");
    auto r = neuropipe_cli("run " + pipeline(name + ".yaml") + " -q --input " + quoted(clip.string()) + " --output " +
                           quoted(out.string()));
    INFO(r.output);
    REQUIRE(r.status == 0);
    CHECK(fs::file_size(out) > 10000);
    const auto lines = json_lines(out.string() + ".jsonl");
    REQUIRE(lines.size() == 8);
    for (const auto& line : lines) CHECK(!node_result(line, name).empty());
  }
}

TEST_CASE("background.yaml blurs behind the person and reports the person's area",
          "[segment][cli][integration]") {
  TempDir dir("np-background");
  const fs::path clip = video_cut(dir, "media/video/intel_one-by-one-person-detection.mp4", 6);
  const fs::path out = dir / "blurred.mp4";
  auto r = neuropipe_cli("run " + pipeline("background.yaml") + " -q -i " + quoted(clip.string()) + " -o " +
                         quoted(out.string()));
  INFO(r.output);
  REQUIRE(r.status == 0);
  const auto lines = json_lines(out.string() + ".jsonl");
  REQUIRE(lines.size() == 6);
  const auto& mask = node_result(lines.front(), "background");
  CHECK(mask["width"] == 768);
  CHECK(mask["area_fraction"].contains("background"));
}
