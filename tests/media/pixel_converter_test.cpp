// BGR <-> YUV 4:2:0 through swscale: a round trip stays close to the input
// (4:2:0 halves chroma resolution, so smooth content is used), and scaling
// happens when the target picture has another size.
#include "media/pixel_converter.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <opencv2/imgproc.hpp>

using namespace neuropipe;

namespace {

cv::Mat smooth_gradient(int width, int height) {
  cv::Mat bgr(height, width, CV_8UC3);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      bgr.at<cv::Vec3b>(y, x) = {static_cast<uchar>(x * 255 / width), static_cast<uchar>(y * 255 / height),
                                 128};
  return bgr;
}

media::ffmpeg::FramePtr yuv_picture(int width, int height) {
  auto picture = media::ffmpeg::make_frame();
  picture->format = AV_PIX_FMT_YUV420P;
  picture->width = width;
  picture->height = height;
  REQUIRE(av_frame_get_buffer(picture.get(), 0) == 0);
  return picture;
}

}  // namespace

TEST_CASE("BGR -> yuv420p -> BGR round trip is close", "[media][pixels]") {
  const cv::Mat input = smooth_gradient(160, 120);
  media::PixelConverter converter;
  auto picture = yuv_picture(160, 120);
  converter.from_bgr(input, *picture);
  const cv::Mat back = converter.to_bgr(*picture);
  REQUIRE(back.size() == input.size());
  cv::Mat difference;
  cv::absdiff(input, back, difference);
  CHECK(cv::mean(difference)[0] < 3.0);
  CHECK(cv::mean(difference)[1] < 3.0);
  CHECK(cv::mean(difference)[2] < 3.0);
}

TEST_CASE("a gray BGR pixel maps to limited-range luma and neutral chroma", "[media][pixels]") {
  media::PixelConverter converter;
  auto picture = yuv_picture(16, 16);
  converter.from_bgr(cv::Mat(16, 16, CV_8UC3, cv::Scalar::all(255)), *picture);
  // swscale's fast (non-bit-exact) paths may round one step off.
  CHECK(std::abs(picture->data[0][0] - 235) <= 1);  // BT.601 limited-range white
  CHECK(std::abs(picture->data[1][0] - 128) <= 1);
  converter.from_bgr(cv::Mat(16, 16, CV_8UC3, cv::Scalar::all(0)), *picture);
  CHECK(std::abs(picture->data[0][0] - 16) <= 1);
}

TEST_CASE("conversion scales to the target picture size", "[media][pixels]") {
  media::PixelConverter converter;
  auto picture = yuv_picture(80, 60);
  converter.from_bgr(smooth_gradient(160, 120), *picture);
  const cv::Mat back = converter.to_bgr(*picture);
  CHECK(back.size() == cv::Size(80, 60));
  CHECK(back.at<cv::Vec3b>(30, 79)[0] > 200);  // the gradient survived the scaling
}
