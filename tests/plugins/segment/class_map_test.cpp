// segment's output decoding on synthetic tensors: the same logits in NCHW
// (torchvision `out`) and NHWC (DeepLab) layout give the same class map, and
// letterbox padding is cut away before the map is stretched onto the frame.
#include "class_map.hpp"

#include <catch2/catch.hpp>

using namespace neuropipe;

namespace {

// Logits for a 4x4 output with 3 classes: class = column / 2 + row / 2 (capped at 2).
int expected_class(int y, int x) { return std::min(2, x / 2 + y / 2); }

nn::Tensor logits(bool channels_last) {
  const int h = 4, w = 4, c = 3;
  nn::Tensor t =
      nn::Tensor::zeros(nn::DType::f32, channels_last ? nn::Shape{1, h, w, c} : nn::Shape{1, c, h, w});
  float* data = t.data<float>();
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const int k = expected_class(y, x);
      data[channels_last ? (y * w + x) * c + k : k * h * w + y * w + x] = 5.f;
    }
  return t;
}

plugin::Fit stretch_fit(cv::Size frame, cv::Size model) {
  plugin::Fit fit;
  fit.frame_size = frame;
  fit.model_size = model;
  fit.scale_x = float(model.width) / float(frame.width);
  fit.scale_y = float(model.height) / float(frame.height);
  return fit;
}

}  // namespace

TEST_CASE("NCHW and NHWC logits decode to the same class map", "[segment][unit]") {
  const auto fit = stretch_fit({8, 8}, {4, 4});
  const auto nhwc = segment::decode(logits(true), segment::Decoding::logits_nhwc, fit, 0.5f);
  const auto nchw = segment::decode(logits(false), segment::Decoding::logits_nchw, fit, 0.5f);
  REQUIRE(nhwc.labels.size() == cv::Size(8, 8));
  CHECK(nhwc.num_classes == 3);
  CHECK(cv::countNonZero(nhwc.labels != nchw.labels) == 0);
  for (int y = 0; y < 8; ++y)
    for (int x = 0; x < 8; ++x) CHECK(int(nhwc.labels.at<uint8_t>(y, x)) == expected_class(y / 2, x / 2));
  CHECK(segment::parse_decoding("deeplab_logits", "") == segment::Decoding::logits_nhwc);
  CHECK(segment::parse_decoding("deeplab_logits", "NCHW") == segment::Decoding::logits_nchw);
  CHECK_THROWS_WITH(segment::parse_decoding("boxes", ""), Catch::Contains("boxes"));
}

TEST_CASE("letterbox padding is not stretched onto the frame", "[segment][unit]") {
  // A 8x4 frame letterboxed into a 4x4 input fills only the top two rows.
  plugin::Fit fit = stretch_fit({8, 4}, {4, 4});
  fit.scale_x = fit.scale_y = 0.5f;
  const auto map = segment::decode(logits(true), segment::Decoding::logits_nhwc, fit, 0.5f);
  REQUIRE(map.labels.size() == cv::Size(8, 4));
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 8; ++x) CHECK(int(map.labels.at<uint8_t>(y, x)) == expected_class(y / 2, x / 2));
}

TEST_CASE("a probability output is thresholded into background and person", "[segment][unit]") {
  nn::Tensor prob = nn::Tensor::zeros(nn::DType::f32, {1, 2, 2, 1});
  prob.data<float>()[1] = 0.9f;  // top right
  prob.data<float>()[2] = 0.4f;  // bottom left: below the threshold
  const auto map = segment::decode(prob, segment::Decoding::person_prob, stretch_fit({2, 2}, {2, 2}), 0.5f);
  CHECK(map.num_classes == 2);
  CHECK(int(map.labels.at<uint8_t>(0, 1)) == 1);
  CHECK(int(map.labels.at<uint8_t>(1, 0)) == 0);
  CHECK(map.confidence.at<float>(0, 1) == Approx(0.9f));
  CHECK_THROWS_WITH(
      segment::decode(logits(true), segment::Decoding::person_prob, stretch_fit({4, 4}, {4, 4}), 0.5f),
      Catch::Contains("[1,4,4,3]"));
}
