// The runtime on real media: every frame of a real video through the offline
// clock, and a live UDP stream (served by an ffmpeg child) through the live
// clock with a slow node, a sender restart and bounded latency.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <thread>

#include <catch2/catch.hpp>

#include "pipeline_fixtures.hpp"
#include "test_support.hpp"

extern char** environ;

using namespace neuropipe;
using namespace neuropipe::pipeline;

namespace {

int64_t count_frames(const std::filesystem::path& video) {
  media::SourceSpec spec;
  spec.uri = video.string();
  auto source = media::open_source(spec);
  int64_t n = 0;
  while (source->read()) ++n;
  return n;
}

// An ffmpeg child that is killed (and reaped) when the object dies.
class ChildProcess {
 public:
  explicit ChildProcess(std::vector<std::string> args) {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    REQUIRE(posix_spawnp(&pid_, argv[0], nullptr, nullptr, argv.data(), environ) == 0);
  }
  ~ChildProcess() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  int wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }

 private:
  pid_t pid_ = -1;
};

// Sends `seconds` of a 25 fps test pattern, in real time, as MPEG-TS over UDP.
std::vector<std::string> udp_sender(int port, int seconds) {
  return {"ffmpeg",
          "-hide_banner",
          "-loglevel",
          "error",
          "-re",
          "-f",
          "lavfi",
          "-i",
          "testsrc=size=320x240:rate=25",
          "-t",
          std::to_string(seconds),
          "-c:v",
          "libx264",
          "-preset",
          "ultrafast",
          "-tune",
          "zerolatency",
          "-g",
          "25",
          "-pix_fmt",
          "yuv420p",
          "-f",
          "mpegts",
          "udp://127.0.0.1:" + std::to_string(port) + "?pkt_size=1316"};
}

}  // namespace

TEST_CASE("offline clock: every frame of a real video reaches the output video", "[pipeline][media]") {
  const auto input = test::shared_file("media/video/opencv_vtest.avi");
  test::TempDir dir("np-offline");
  const auto output = dir / "out.mp4";
  auto spec =
      load_pipeline(test::source_dir() / "pipelines/passthrough.yaml",
                    {{"input", input.string()}, {"output", output.string()}, {"preset", "ultrafast"}});
  Runner runner(validate(std::move(spec), test::test_catalog()), test::test_catalog());
  const auto summary = runner.run();
  REQUIRE(summary.outcome == Outcome::completed);
  const int64_t frames_in = count_frames(input);
  CHECK(frames_in == 795);
  CHECK(summary.frames == frames_in);
  CHECK(count_frames(output) == frames_in);
  // one JSON line per frame next to it (the ${metadata} default)
  std::ifstream jsonl(output.string() + ".jsonl");
  int64_t lines = 0;
  for (std::string line; std::getline(jsonl, line);) ++lines;
  CHECK(lines == frames_in);
}

TEST_CASE("live clock over UDP: bounded latency, drops counted, recovery after the sender restarts",
          "[pipeline][media][live]") {
  const int port = 23400 + int(::getpid() % 500);
  test::TempDir dir("np-live");
  const std::string yaml = R"(sources:
  - name: cam
    uri: udp://127.0.0.1:)" +
                           std::to_string(port) + R"(?fifo_size=1000000&overrun_nonfatal=1
    clock: live
    reconnect_timeout_ms: 2500
    options:
      timeout_ms: "1500"
nodes:
  - name: slow
    plugin: test_sleep
    params: {min_ms: 100, max_ms: 100}
settings: {max_in_flight: 1}
sinks:
  - kind: jsonl
    path: capture://udp
)";
  std::optional<ChildProcess> sender(udp_sender(port, 2));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let ffmpeg start sending
  RunOptions options;
  options.media = test::test_media();
  Runner runner(test::validated(yaml), test::test_catalog(), options);  // opens once the first packets arrive
  std::thread restart([&] {
    sender->wait();  // the first sender is done after 2 s; the stream is gone for 2.5 s
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    sender.emplace(udp_sender(port, 2));
    sender->wait();
  });
  const auto started = std::chrono::steady_clock::now();
  const auto summary = runner.run();  // ends once the stream stays away past reconnect_timeout_ms
  restart.join();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const auto& cam = summary.sources[0];
  CHECK(summary.outcome == Outcome::completed);
  CHECK(cam.reconnects >= 1);      // came back after the sender restarted
  CHECK(cam.frames_read > 50);     // both senders' frames were read (2 x 50 sent)
  CHECK(cam.frames_dropped > 25);  // a 100 ms node cannot keep up with 25 fps
  CHECK(cam.frames_written + cam.frames_dropped == cam.frames_read);
  CHECK(cam.latency_max_ms < 400);  // one frame waiting + one in the node
  CHECK(seconds < 20);
  const auto items = test::captured("udp")->snapshot();
  CHECK(int64_t(items.size()) == cam.frames_written);
}
