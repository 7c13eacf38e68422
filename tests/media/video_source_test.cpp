// Video sources: real files decoded to BGR with increasing timestamps,
// damaged files ending with a report instead of a crash, clear open errors.
#include <catch2/catch.hpp>

#include "media_fixtures.hpp"
#include "test_support.hpp"

using namespace neuropipe;
using namespace neuropipe::test;

TEST_CASE("opencv_vtest.avi decodes every frame at its size with increasing pts", "[media][video]") {
  const auto path = shared_file("media/video/opencv_vtest.avi");
  auto source = media::open_source(source_spec(path.string()));
  CHECK(source->info().width == 768);
  CHECK(source->info().height == 576);
  CHECK(source->info().fps == Approx(10.0));
  CHECK(source->info().frame_count == 795);
  CHECK_FALSE(source->info().live);

  const ReadSummary read = read_frames(*source);
  CHECK(read.frames == 795);
  CHECK(read.width == 768);
  CHECK(read.height == 576);
  CHECK(read.pts_increasing);
  CHECK(read.indices_sequential);
  CHECK(source->errors().empty());
  CHECK(source->read() == nullptr);  // the end stays the end
}

TEST_CASE("an H.264 mp4 decodes with origin, pts and time base", "[media][video]") {
  const auto path = shared_file("media/video/intel_one-by-one-person-detection.mp4");
  media::SourceSpec spec = source_spec(path.string());
  spec.name = "people";
  spec.stream_id = 3;
  auto source = media::open_source(spec);
  CHECK(source->info().codec == "h264");
  CHECK(source->info().time_base == Approx(1.0 / 200000));
  CHECK(source->info().frame_count == 1394);

  FramePtr first = source->read();
  REQUIRE(first);
  CHECK(first->origin().source == "people");
  CHECK(first->origin().stream_id == 3);
  CHECK(first->origin().index == 0);
  CHECK(first->origin().pts == 0);
  CHECK(first->image().type() == CV_8UC3);
  FramePtr second = source->read();
  REQUIRE(second);
  CHECK(second->origin().pts == 20000);  // 10 fps in 1/200000 units

  const ReadSummary rest = read_frames(*source);
  CHECK(rest.frames + 2 == 1394);
  CHECK(rest.width == 768);
  CHECK(rest.height == 432);
  CHECK(rest.pts_increasing);
  CHECK(source->errors().empty());
}

TEST_CASE("a truncated mp4 yields the frames it holds and reports where it stopped", "[media][video]") {
  const auto original = shared_file("media/video/intel_car-detection.mp4");
  TempDir dir("np-media");
  const auto truncated = dir / "truncated.mp4";
  copy_prefix(original, truncated, 0.4);

  auto source = media::open_source(source_spec(truncated.string()));
  const ReadSummary read = read_frames(*source);
  CHECK(read.frames > 50);
  CHECK(read.frames < 377);
  CHECK(read.pts_increasing);
  REQUIRE_FALSE(source->errors().empty());
  const std::string& report = source->errors().back();
  CHECK_THAT(report, Catch::Contains(truncated.string()));
  CHECK_THAT(report, Catch::Contains("stopped after frame " + std::to_string(read.frames - 1)));
}

TEST_CASE("a garbage or missing video file is an Error naming it", "[media][video]") {
  TempDir dir("np-media");
  const auto garbage = dir / "garbage.mp4";
  write_garbage(garbage, 64 * 1024);
  CHECK_THAT(error_message([&] { media::open_source(source_spec(garbage.string())); }),
             Catch::Contains(garbage.string()));

  const auto missing = dir / "missing.mkv";
  const std::string message = error_message([&] { media::open_source(source_spec(missing.string())); });
  CHECK_THAT(message, Catch::Contains(missing.string()) && Catch::Contains("not found"));
}

TEST_CASE("a camera that does not exist gives a clear open error", "[media][camera]") {
  REQUIRE_FALSE(std::filesystem::exists("/dev/video7"));
  const std::string message = error_message([] { media::open_source(source_spec("/dev/video7")); });
  CHECK_THAT(message,
             Catch::Contains("camera '/dev/video7'") && Catch::Contains("No such file or directory"));
}

TEST_CASE("a lavfi graph is a hardware-free camera stand-in", "[media][lavfi]") {
  media::SourceSpec spec = source_spec("testsrc=size=320x240:rate=25");
  spec.kind = "lavfi";
  auto source = media::open_source(spec);
  CHECK(source->info().fps == Approx(25.0));
  const ReadSummary read = read_frames(*source, 30);
  CHECK(read.frames == 30);
  CHECK(read.width == 320);
  CHECK(read.height == 240);
  CHECK(read.pts_increasing);

  spec.uri = "testsrc=size=64x48:rate=10:duration=1";  // a finite graph ends normally
  auto finite = media::open_source(spec);
  CHECK(read_frames(*finite).frames == 10);
  CHECK(finite->errors().empty());
}

TEST_CASE("an unknown source kind or option type is named in the error", "[media]") {
  media::SourceSpec spec = source_spec("x.mp4");
  spec.kind = "tape";
  CHECK_THAT(error_message([&] { media::open_source(spec); }), Catch::Contains("'tape'"));

  media::SourceSpec lavfi = source_spec("testsrc", {{"timeout_ms", "soon"}});
  lavfi.kind = "lavfi";
  CHECK_THAT(error_message([&] { media::open_source(lavfi); }),
             Catch::Contains("option timeout_ms") && Catch::Contains("'soon'"));
}
