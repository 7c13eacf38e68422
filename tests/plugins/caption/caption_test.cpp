// The caption plugin on a real video, loaded as the runtime loads it, with
// the seeded export (see caption_export.hpp): every Nth frame gets a fresh
// caption, the frames in between hold it; the shipped pipeline keeps every
// frame of a video and writes captions as JSON lines and subtitles.
#include <catch2/catch.hpp>

#include "json_lines.hpp"
#include <fstream>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>
#include <set>
#include <thread>

#include "shell.hpp"
#include "caption_export.hpp"
#include "plugin_runner.hpp"
#include "video_frames.hpp"

using namespace neuropipe;
using namespace neuropipe::test;
namespace fs = std::filesystem;

namespace {

std::vector<cv::Mat> video_frames(const std::string& relative, int count) {
  cv::VideoCapture video(shared_file(relative).string());
  REQUIRE(video.isOpened());
  std::vector<cv::Mat> frames;
  for (cv::Mat f; int(frames.size()) < count && video.read(f);) frames.push_back(f.clone());
  REQUIRE(int(frames.size()) == count);
  return frames;
}

}  // namespace

TEST_CASE("caption describes every Nth frame of a real video, the frames between hold the caption",
          "[caption][integration]") {
  caption_export_file("show-and-tell-encoder.onnx");  // fails naming the export command when absent
  const PluginRunner runner("caption");
  auto node = runner.node({{"search", "greedy"}, {"max_length", 8}, {"every_n_frames", 5}}, "caption");
  const auto frames = video_frames("media/video/opencv_vtest.avi", 11);
  std::vector<std::string> texts;
  for (int i = 0; i < 11; ++i) {
    FrameOrigin origin;
    origin.index = i;
    Frame frame(frames[size_t(i)].clone(), origin);
    node->process(frame);
    INFO("frame " << i);
    if (i % 5 == 0) {
      auto c = frame.get_as<Caption>("caption");
      REQUIRE(c);
      CHECK(c->tokens.size() >= 4);
      CHECK(c->tokens.size() <= 8);
      CHECK(c->text.find(' ') != std::string::npos);  // several words
      CHECK(c->score < 0.f);
      texts.push_back(c->text);
    } else {
      CHECK(frame.get("caption") == nullptr);
      auto held = frame.get_as<Caption>("caption.held");
      REQUIRE(held);
      CHECK(held->text == texts.back());
    }
  }
  CHECK(texts.size() == 3);
}

TEST_CASE("caption gives the same beam-search caption when frames run on several threads at once",
          "[caption][integration]") {
  const PluginRunner runner("caption");
  auto node = runner.node({{"search", "beam"}, {"beam_width", 3}, {"max_length", 10}}, "caption");
  const cv::Mat photo = read_image("media/image/opencv_fruits.jpg");
  Frame alone(photo.clone(), FrameOrigin{});
  node->process(alone);
  const auto expected = alone.get_as<Caption>("caption");
  REQUIRE(expected);
  std::vector<std::vector<int>> tokens(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < tokens.size(); ++t)
    threads.emplace_back([&, t] {
      Frame frame(photo.clone(), FrameOrigin{});  // every frame 0: each is captioned
      try {
        node->process(frame);
        if (auto c = frame.get_as<Caption>("caption")) tokens[t] = c->tokens;
      } catch (const std::exception&) {  // leaves tokens[t] empty: the check below fails
      }
    });
  for (auto& t : threads) t.join();
  for (const auto& t : tokens) CHECK(t == expected->tokens);
}

TEST_CASE("caption refuses half-given model files and a missing vocabulary", "[caption][integration]") {
  PluginRunner runner("caption");
  CHECK_THROWS_WITH(runner.node({{"encoder", "/tmp/e.onnx"}}, "caption"),
                    Catch::Contains("'encoder', 'decoder' and 'vocab' go together"));
  const TempDir dir("np-caption-files");
  auto node = runner.node({{"encoder", caption_export_file("show-and-tell-encoder.onnx").string()},
                           {"decoder", caption_export_file("show-and-tell-decoder.onnx").string()},
                           {"vocab", (dir / "none.txt").string()}},
                          "caption");
  Frame frame(read_image("media/image/dog.jpg"), FrameOrigin{});
  CHECK_THROWS_WITH(node->process(frame),
                    Catch::Contains("cannot read vocabulary file") && Catch::Contains("none.txt"));
}

TEST_CASE("caption.yaml keeps every frame of a video and writes captions as JSON lines and subtitles",
          "[caption][cli][integration]") {
  const TempDir dir("np-caption-video");
  const fs::path clip = dir / "cut.mp4", out = dir / "captioned.mp4";
  auto cut = run_command("ffmpeg -hide_banner -loglevel error -y -i " +
                         quoted(shared_file("media/video/opencv_vtest.avi").string()) +
                         " -frames:v 24 -c:v libx264 -preset ultrafast " + quoted(clip.string()));
  REQUIRE(cut.status == 0);
  auto r = neuropipe_cli("run " + quoted((source_dir() / "pipelines/caption.yaml").string()) + " -q --input " +
                         quoted(clip.string()) + " --output " + quoted(out.string()) +
                         " --set every_n_frames=10 --set scene_change_threshold=0");
  INFO(r.output);
  REQUIRE(r.status == 0);
  CHECK(frame_count(out) == 24);
  const auto lines = json_lines(out.string() + ".jsonl");
  REQUIRE(lines.size() == 24);
  for (const auto& line : lines) {
    const int64_t index = line["index"];
    INFO(line.dump());
    CHECK(line.contains("caption") == (index % 10 == 0));
    if (index % 10 != 0) continue;
    const auto& caption = line["caption"];
    CHECK(caption["text"].get<std::string>().size() > 10);
    CHECK(caption["score"].get<double>() < 0.0);  // a (normalised) log-probability
    // The token ids (the vocabulary's line numbers), <end> included when the caption ended.
    REQUIRE(caption["tokens"].is_array());
    CHECK(caption["tokens"].size() >= 2);
    CHECK(caption["tokens"].size() <= 20);  // max_length
    for (const auto& token : caption["tokens"]) CHECK((token.is_number_integer() && token.get<int>() >= 0));
  }
  // The subtitle is drawn at the bottom of frame 0: there many pixels change a
  // lot (a dark box, light letters); video re-encoding changes few that much.
  cv::VideoCapture before(clip.string()), after(out.string());
  cv::Mat a, b, diff, grey_diff;
  REQUIRE((before.read(a) && after.read(b)));
  cv::absdiff(a, b, diff);
  cv::cvtColor(diff, grey_diff, cv::COLOR_BGR2GRAY);
  const cv::Mat changed = grey_diff > 60;
  auto changed_share = [&](const cv::Rect& r) { return cv::countNonZero(changed(r)) / double(r.area()); };
  const double bottom = changed_share(cv::Rect(0, a.rows * 4 / 5, a.cols, a.rows / 5)),
               top = changed_share(cv::Rect(0, 0, a.cols, a.rows / 2));
  INFO("changed pixels: bottom " << bottom << ", top " << top);
  CHECK(bottom > 0.05);
  CHECK(top < 0.01);
}

TEST_CASE("caption.yaml captions a folder of pictures with neuropipe batch", "[caption][cli][integration]") {
  const TempDir dir("np-caption-batch");
  fs::create_directories(dir / "in");
  fs::copy_file(shared_file("media/image/dog.jpg"), dir / "in/dog.jpg");
  fs::copy_file(shared_file("media/image/opencv_fruits.jpg"), dir / "in/fruits.jpg");
  auto r = neuropipe_cli("batch " + quoted((source_dir() / "pipelines/caption.yaml").string()) + " " +
                         quoted((dir / "in").string()) + " " + quoted((dir / "out").string()));
  INFO(r.output);
  REQUIRE(r.status == 0);
  std::set<std::string> texts;
  for (const char* name : {"dog", "fruits"}) {
    INFO(name);
    CHECK(fs::exists(dir / "out" / (std::string(name) + ".jpg")));
    const auto lines = json_lines(dir / "out" / (std::string(name) + ".jpg.jsonl"));
    REQUIRE(lines.size() == 1);
    REQUIRE(lines[0].contains("caption"));
    texts.insert(lines[0]["caption"]["text"].get<std::string>());
  }
  CHECK(texts.size() == 2);  // different pictures, different captions
}
