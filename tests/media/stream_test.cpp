// Network streams on 127.0.0.1: a live UDP source fed by the ffmpeg CLI is
// read, lost (StreamLost within its timeout once the sender dies) and
// reopened; the stream sink's output is read back by a stream source.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "media_fixtures.hpp"
#include "test_support.hpp"

using namespace neuropipe;
using namespace neuropipe::test;
using Clock = std::chrono::steady_clock;

namespace {

std::string udp_receiver(int port) {
  return "udp://127.0.0.1:" + std::to_string(port) + "?localaddr=127.0.0.1";
}

// Plays the clip in real time (1 keyframe a second), bounded to 20 s.
std::unique_ptr<ChildProcess> start_sender(const std::filesystem::path& clip, int port) {
  return std::make_unique<ChildProcess>(std::vector<std::string>{
      "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-re", "-i", clip.string(), "-c", "copy",
      "-t", "20", "-f", "mpegts", "udp://127.0.0.1:" + std::to_string(port) + "?pkt_size=1316"});
}

// Reads until StreamLost; returns false when the source ended or kept going.
bool reads_until_lost(media::Source& source) {
  try {
    for (int i = 0; i < 1000; ++i)
      if (!source.read()) return false;
  } catch (const media::StreamLost&) {
    return true;
  }
  return false;
}

}  // namespace

TEST_CASE("a live UDP stream is read, lost and reopened", "[media][stream]") {
  const auto clip = shared_file("media/video/intel_one-by-one-person-detection.mp4");
  const int port = free_udp_port();
  auto sender = start_sender(clip, port);
  auto source = media::open_source(source_spec(udp_receiver(port), {{"timeout_ms", "2000"}}));
  CHECK(source->info().live);
  CHECK(source->info().codec == "h264");

  const ReadSummary before = read_frames(*source, 10);
  CHECK(before.frames == 10);
  CHECK(before.width == 768);
  CHECK(before.height == 432);

  sender->stop();
  const auto lost_at = Clock::now();
  CHECK(reads_until_lost(*source));
  CHECK(Clock::now() - lost_at < std::chrono::seconds(5));  // 2 s timeout + buffered frames
  CHECK_THROWS_AS(source->read(), media::StreamLost);       // stays lost until reopened

  sender = start_sender(clip, port);
  source->reopen();
  FramePtr next = source->read();
  REQUIRE(next);
  CHECK(next->origin().index >= 10);  // numbering continues across the reconnect
  CHECK(read_frames(*source, 5).frames == 5);
}

TEST_CASE("a stream that never sends is an open error naming it within the timeout", "[media][stream]") {
  const int port = free_udp_port();
  const auto started = Clock::now();
  const std::string message = error_message([&] {
    media::open_source(source_spec(udp_receiver(port), {{"timeout_ms", "500"}}));
  });
  CHECK(Clock::now() - started < std::chrono::seconds(3));
  CHECK_THAT(message, Catch::Contains("127.0.0.1:" + std::to_string(port)) && Catch::Contains("500 ms"));
}

TEST_CASE("the stream sink's MPEG-TS over UDP is read back by a stream source", "[media][stream][sink]") {
  const int port = free_udp_port();
  std::atomic<bool> stop{false};
  std::string sender_error;
  std::thread sender([&] {
    try {
      media::SourceSpec lavfi = source_spec("testsrc=size=320x240:rate=25");
      lavfi.kind = "lavfi";
      auto frames = media::open_source(lavfi);
      media::SinkSpec spec;
      spec.name = "out";
      spec.kind = "stream";
      spec.uri = "udp://127.0.0.1:" + std::to_string(port);
      auto sink = media::open_sink(spec, frames->info());
      for (int i = 0; i < 250 && !stop; ++i) {
        sink->write(*frames->read());
        std::this_thread::sleep_for(std::chrono::milliseconds(40));
      }
      sink->close();
    } catch (const std::exception& e) {
      sender_error = e.what();
    }
  });
  struct JoinOnExit {
    std::atomic<bool>& stop;
    std::thread& thread;
    ~JoinOnExit() {
      stop = true;
      thread.join();
    }
  } join_on_exit{stop, sender};

  auto source = media::open_source(source_spec(udp_receiver(port), {{"timeout_ms", "3000"}}));
  const ReadSummary read = read_frames(*source, 10);
  CHECK(read.frames == 10);
  CHECK(read.width == 320);
  CHECK(read.height == 240);
  CHECK(read.pts_increasing);
  stop = true;
  CHECK(sender_error.empty());
}

TEST_CASE("a video file served over http is a live source that ends normally", "[media][stream]") {
  const auto folder = shared_file("media/video/intel_car-detection.mp4").parent_path();
  const int port = free_tcp_port();
  ChildProcess server({"/usr/bin/python3.11", "-m", "http.server", std::to_string(port), "--bind",
                       "127.0.0.1", "--directory", folder.string()});
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/intel_car-detection.mp4";
  std::unique_ptr<media::Source> source;
  for (int attempt = 0; !source && attempt < 50; ++attempt) {  // the server takes a moment to listen
    try {
      source = media::open_source(source_spec(url));
    } catch (const Error&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  REQUIRE(source);
  CHECK(source->info().live);
  const ReadSummary read = read_frames(*source);  // no StreamLost: the file has an end
  CHECK(read.frames == 377);
  CHECK(read.pts_increasing);
  CHECK(source->errors().empty());
}

TEST_CASE("the stream sink pushes to an RTSP server", "[media][stream][sink]") {
  TempDir dir("np-media");
  const int port = free_tcp_port();
  const std::string url = "rtsp://127.0.0.1:" + std::to_string(port) + "/live";
  const auto received = dir / "received.ts";
  // ffmpeg as a one-shot RTSP server that records what it is sent.
  ChildProcess server({"ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-rtsp_flags", "listen",
                       "-listen_timeout", "20", "-i", url, "-c", "copy", "-y", received.string()});

  media::SourceSpec lavfi = source_spec("testsrc=size=320x240:rate=25");
  lavfi.kind = "lavfi";
  auto frames = media::open_source(lavfi);
  media::SinkSpec spec;
  spec.name = "push";
  spec.kind = "stream";
  spec.uri = url;
  std::unique_ptr<media::Sink> sink;
  for (int attempt = 0; !sink && attempt < 50; ++attempt) {  // until the server listens
    try {
      sink = media::open_sink(spec, frames->info());
      sink->write(*frames->read());
    } catch (const Error&) {
      sink.reset();
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  REQUIRE(sink);
  for (int i = 1; i < 30; ++i) sink->write(*frames->read());
  sink->close();  // TEARDOWN: the server ends its recording
  REQUIRE(server.wait_for_exit(std::chrono::seconds(10)));

  const std::string probe = run_command(
      "ffprobe -v error -count_frames -select_streams v:0 -show_entries "
      "stream=codec_name,width,nb_read_frames -of default=noprint_wrappers=1 '" +
      received.string() + "'");
  CHECK_THAT(probe, Catch::Contains("codec_name=h264\n") && Catch::Contains("width=320\n") &&
                        Catch::Contains("nb_read_frames=30\n"));
}
