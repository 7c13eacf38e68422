// Image folder sink: mirrors an image folder's tree, numbers video frames,
// converts formats, never leaves temporary files behind.
#include <catch2/catch.hpp>
#include <opencv2/imgcodecs.hpp>

#include "media_fixtures.hpp"
#include "test_support.hpp"

using namespace neuropipe;
using namespace neuropipe::test;
namespace fs = std::filesystem;

namespace {

media::SinkSpec image_sink(const fs::path& folder, std::map<std::string, std::string> options = {}) {
  media::SinkSpec spec;
  spec.name = "pictures";
  spec.kind = "images";
  spec.uri = folder.string();
  spec.options = std::move(options);
  return spec;
}

void copy_through(media::Source& source, media::Sink& sink) {
  while (FramePtr frame = source.read()) sink.write(*frame);
  sink.close();
}

}  // namespace

TEST_CASE("the image folder sink mirrors the source tree", "[media][images]") {
  TempDir dir("np-media");
  fs::create_directories(dir / "in" / "sub" / "deeper");
  fs::copy_file(shared_file("media/image/dog.jpg"), dir / "in" / "dog.jpg");
  fs::copy_file(shared_file("media/image/fish.png"), dir / "in" / "sub" / "deeper" / "fish.png");

  auto source = media::open_source(source_spec((dir / "in").string()));
  auto kept = media::open_sink(image_sink(dir / "kept"), source->info());
  copy_through(*source, *kept);
  CHECK(files_under(dir / "kept") == std::vector<std::string>{"dog.jpg", "sub/deeper/fish.png"});
  const cv::Mat fish = cv::imread((dir / "kept" / "sub" / "deeper" / "fish.png").string());
  const cv::Mat original = cv::imread(shared_file("media/image/fish.png").string());
  REQUIRE(fish.size() == original.size());
  CHECK(cv::norm(fish, original, cv::NORM_INF) == 0);  // png is lossless

  auto again = media::open_source(source_spec((dir / "in").string()));
  auto as_png = media::open_sink(image_sink(dir / "png", {{"format", "png"}}), again->info());
  copy_through(*again, *as_png);
  CHECK(files_under(dir / "png") == std::vector<std::string>{"dog.png", "sub/deeper/fish.png"});
}

TEST_CASE("video frames become numbered images", "[media][images]") {
  TempDir dir("np-media");
  media::SourceSpec lavfi = source_spec("testsrc=size=64x48:rate=5:duration=0.6");
  lavfi.kind = "lavfi";
  auto source = media::open_source(lavfi);
  auto sink =
      media::open_sink(image_sink(dir / "frames", {{"format", "jpg"}, {"quality", "80"}}), source->info());
  copy_through(*source, *sink);
  CHECK(files_under(dir / "frames") ==
        std::vector<std::string>{"frame_000000.jpg", "frame_000001.jpg", "frame_000002.jpg"});
  CHECK(cv::imread((dir / "frames" / "frame_000002.jpg").string()).size() == cv::Size(64, 48));
}

TEST_CASE("bad image sink options and a full disk are Errors naming the field or file", "[media][images]") {
  TempDir dir("np-media");
  CHECK_THAT(error_message([&] {
               media::open_sink(image_sink(dir / "x", {{"format", "gif"}}), {});
             }),
             Catch::Contains("option format") && Catch::Contains("'gif'"));

  auto source = media::open_source(source_spec(shared_file("media/image/opencv_baboon.jpg").string()));
  FramePtr frame = source->read();
  REQUIRE(frame);
  auto sink = media::open_sink(image_sink(dir / "full", {{"format", "png"}}), source->info());
  std::string message;
  {
    FileSizeLimit disk_full(16 * 1024);
    message = error_message([&] { sink->write(*frame); });
  }
  CHECK_THAT(message, Catch::Contains((dir / "full" / "opencv_baboon.png").string()));
  CHECK(files_under(dir / "full").empty());
}
