// Video file sink: a round trip through an encoded file keeps every frame
// (the last one included), the frame rate and the size; abort() and write
// failures leave no file behind.
#include <catch2/catch.hpp>

#include "media_fixtures.hpp"
#include "test_support.hpp"

using namespace neuropipe;
using namespace neuropipe::test;
namespace fs = std::filesystem;

namespace {

media::SinkSpec video_sink(const fs::path& file, std::map<std::string, std::string> options = {}) {
  media::SinkSpec spec;
  spec.name = "movie";
  spec.kind = "video";
  spec.uri = file.string();
  spec.options = std::move(options);
  return spec;
}

// Copies up to `count` frames; returns how many were copied.
int64_t copy_frames(media::Source& source, media::Sink& sink, int64_t count) {
  int64_t copied = 0;
  while (copied < count) {
    FramePtr frame = source.read();
    if (!frame) break;
    sink.write(*frame);
    ++copied;
  }
  return copied;
}

}  // namespace

TEST_CASE("decoded frames encode to an mp4 that decodes back to the same frames", "[media][video][sink]") {
  TempDir dir("np-media");
  auto source = media::open_source(source_spec(shared_file("media/video/opencv_vtest.avi").string()));
  const auto out = dir / "copy.mp4";
  auto sink = media::open_sink(video_sink(out, {{"preset", "ultrafast"}}), source->info());
  REQUIRE(copy_frames(*source, *sink, 25) == 25);
  CHECK_FALSE(fs::exists(out));  // published only on close()
  sink->close();
  sink->close();  // idempotent
  CHECK(files_under(dir.path()) == std::vector<std::string>{"copy.mp4"});

  auto back = media::open_source(source_spec(out.string()));
  CHECK(back->info().fps == Approx(10.0));
  CHECK(back->info().codec == "h264");
  const ReadSummary read = read_frames(*back);
  CHECK(read.frames == 25);
  CHECK(read.width == 768);
  CHECK(read.height == 576);
  CHECK(read.pts_increasing);

  // An independent player agrees: every frame, the last one included.
  const std::string probe = run_command(
      "ffprobe -v error -count_frames -select_streams v:0 -show_entries "
      "stream=nb_read_frames,avg_frame_rate,pix_fmt "
      "-of default=noprint_wrappers=1 '" +
      out.string() + "'");
  CHECK_THAT(probe, Catch::Contains("pix_fmt=yuv420p\n") && Catch::Contains("avg_frame_rate=10/1\n") &&
                        Catch::Contains("nb_read_frames=25\n"));
}

TEST_CASE("odd frame sizes are cropped to even, and mkv with mpeg4 works too", "[media][video][sink]") {
  TempDir dir("np-media");
  media::SourceSpec lavfi = source_spec("testsrc=size=321x241:rate=25");
  lavfi.kind = "lavfi";
  auto source = media::open_source(lavfi);
  const auto out = dir / "odd.mkv";
  auto sink = media::open_sink(video_sink(out, {{"codec", "mpeg4"}}), source->info());
  REQUIRE(copy_frames(*source, *sink, 12) == 12);
  sink->close();

  auto back = media::open_source(source_spec(out.string()));
  CHECK(back->info().codec == "mpeg4");
  CHECK(back->info().fps == Approx(25.0));
  const ReadSummary read = read_frames(*back);
  CHECK(read.frames == 12);
  CHECK(read.width == 320);
  CHECK(read.height == 240);
}

TEST_CASE("abort() and a failed write leave no video file", "[media][video][sink]") {
  TempDir dir("np-media");
  auto source = media::open_source(source_spec(shared_file("media/video/opencv_vtest.avi").string()));

  auto aborted = media::open_sink(video_sink(dir / "aborted.mp4", {{"preset", "ultrafast"}}), source->info());
  copy_frames(*source, *aborted, 5);
  aborted->abort();
  CHECK(files_under(dir.path()).empty());

  const auto full = dir / "full.mp4";
  auto sink = media::open_sink(video_sink(full, {{"preset", "ultrafast"}, {"crf", "0"}}), source->info());
  std::string message;
  {
    FileSizeLimit disk_full(64 * 1024);  // a lossless 768x576 frame is bigger than this
    message = error_message([&] {
      copy_frames(*source, *sink, 40);
      sink->close();
    });
  }
  CHECK_THAT(message, Catch::Contains(full.string()) && Catch::Contains("too large"));
  CHECK(files_under(dir.path()).empty());
}

TEST_CASE("video sink configuration errors name the field", "[media][video][sink]") {
  TempDir dir("np-media");
  CHECK_THAT(error_message([&] { media::open_sink(video_sink(dir / "x.unknownext"), {}); }),
             Catch::Contains("x.unknownext"));
  CHECK_THAT(error_message([&] {
               media::open_sink(video_sink(dir / "x.mp4", {{"fps", "fast"}}), {});
             }),
             Catch::Contains("option fps"));

  media::SourceSpec lavfi = source_spec("testsrc=size=64x48:rate=5");
  lavfi.kind = "lavfi";
  auto source = media::open_source(lavfi);
  FramePtr frame = source->read();
  auto sink = media::open_sink(video_sink(dir / "y.mp4", {{"codec", "no-such-codec"}}), source->info());
  CHECK_THAT(error_message([&] { sink->write(*frame); }), Catch::Contains("'no-such-codec'"));
  CHECK(files_under(dir.path()).empty());
}
