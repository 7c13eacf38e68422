// Decoded video frames keep the decoder's picture: BGR is made only when
// asked for (and matches a direct conversion), and a video sink encodes an
// untouched picture as it is, so a lossless encode reproduces the source's
// YUV planes exactly (a round trip through BGR cannot), while a frame whose
// image a node replaced is encoded from that image.
#include "media/decoded_picture.hpp"

#include <catch2/catch.hpp>

#include "media/pixel_converter.hpp"
#include "media_fixtures.hpp"
#include "test_support.hpp"

using namespace neuropipe;
using namespace neuropipe::test;
namespace fs = std::filesystem;

namespace {

std::shared_ptr<const media::DecodedPicture> decoded(const Frame& frame) {
  return std::dynamic_pointer_cast<const media::DecodedPicture>(frame.source_picture());
}

// The plane as an 8-bit Mat of its visible size (no copy).
cv::Mat plane(const AVFrame& picture, int index) {
  const int shift = index == 0 ? 0 : 1;  // yuv420p chroma is half size both ways
  return cv::Mat(picture.height >> shift, picture.width >> shift, CV_8UC1, picture.data[index],
                 picture.linesize[index]);
}

bool same_planes(const AVFrame& a, const AVFrame& b) {
  for (int i = 0; i < 3; ++i)
    if (cv::norm(plane(a, i), plane(b, i), cv::NORM_INF) != 0) return false;
  return true;
}

}  // namespace

TEST_CASE("a decoded frame converts to BGR only on demand, like a direct conversion", "[media][video]") {
  auto source = media::open_source(source_spec(shared_file("media/video/opencv_vtest.avi").string()));
  const FramePtr frame = source->read();
  REQUIRE(frame);
  const auto picture = decoded(*frame);
  REQUIRE(picture);
  CHECK(picture->picture().format == AV_PIX_FMT_YUV420P);

  media::PixelConverter converter;
  const cv::Mat expected = converter.to_bgr(picture->picture());
  const cv::Mat image = frame->image();
  REQUIRE(image.size() == expected.size());
  CHECK(cv::norm(image, expected, cv::NORM_INF) == 0);
  CHECK(frame->image().data == image.data);  // converted once, then shared

  frame->set_image(cv::Mat(4, 4, CV_8UC3, cv::Scalar::all(0)));
  CHECK_FALSE(frame->source_picture());  // replaced pixels are no longer the source's
}

TEST_CASE("untouched decoded pictures are encoded as they are; replaced images are encoded from BGR",
          "[media][video][sink]") {
  TempDir dir("np-media");
  const auto input = shared_file("media/video/opencv_vtest.avi").string();
  auto source = media::open_source(source_spec(input));
  const auto out = dir / "lossless.mp4";
  media::SinkSpec spec{"movie", "video", out.string(), {{"preset", "ultrafast"}, {"crf", "0"}}};
  auto sink = media::open_sink(spec, source->info());
  constexpr int kFrames = 6, kReplaced = 3;
  std::vector<FramePtr> originals;
  for (int i = 0; i < kFrames; ++i) {
    FramePtr frame = source->read();
    REQUIRE(frame);
    if (i == kReplaced) frame->set_image(cv::Mat(576, 768, CV_8UC3, cv::Scalar::all(0)));
    sink->write(*frame);
    originals.push_back(frame);
  }
  sink->close();

  auto back = media::open_source(source_spec(out.string()));
  for (int i = 0; i < kFrames; ++i) {
    INFO("frame " << i);
    const FramePtr frame = back->read();
    REQUIRE(frame);
    const auto picture = decoded(*frame);
    REQUIRE(picture);
    if (i == kReplaced) {
      CHECK(cv::norm(plane(picture->picture(), 0), cv::NORM_INF) == 16);  // black: limited-range luma
    } else {
      REQUIRE(decoded(*originals[i]));
      CHECK(same_planes(picture->picture(), decoded(*originals[i])->picture()));
    }
  }
}
