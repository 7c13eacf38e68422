#pragma once
// Counting the frames of a video a test wrote, by decoding every one (the
// container's frame count can be an estimate).
#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <opencv2/core.hpp>
#include <opencv2/videoio.hpp>

namespace neuropipe::test {

inline int64_t frame_count(const std::filesystem::path& video) {
  cv::VideoCapture in(video.string());
  REQUIRE(in.isOpened());
  int64_t n = 0;
  for (cv::Mat frame; in.read(frame);) ++n;
  return n;
}

}  // namespace neuropipe::test
