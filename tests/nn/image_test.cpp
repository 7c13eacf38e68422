#include <catch2/catch.hpp>

#include "neuropipe/error.hpp"
#include "neuropipe/nn/image.hpp"

using namespace neuropipe::nn;

TEST_CASE("image_to_tensor normalises per channel in model order, tensor_to_image inverts it", "[nn][image]") {
  cv::Mat bgr(4, 5, CV_8UC3);
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 5; ++x) bgr.at<cv::Vec3b>(y, x) = cv::Vec3b(10 * x, 20 * y, 200);  // B, G, R
  for (bool nchw : {true, false}) {
    ImageToTensor spec;
    spec.nchw = nchw;
    spec.scale = 1.f / 255.f;
    spec.mean[0] = 0.5f, spec.std[0] = 0.25f;
    Tensor t = image_to_tensor(bgr, spec);
    CHECK(t.shape() == (nchw ? Shape{1, 3, 4, 5} : Shape{1, 4, 5, 3}));
    float red = nchw ? t.data<float>()[0] : t.data<float>()[0];  // channel 0 = R (rgb=true), pixel (0,0)
    CHECK(red == Approx((200.f / 255.f - 0.5f) / 0.25f));
    float blue_at_x2 = nchw ? t.data<float>()[2 * 20 + 2] : t.data<float>()[2 * 3 + 2];
    CHECK(blue_at_x2 == Approx(20.f / 255.f));
    cv::Mat back = tensor_to_image(t, spec);
    CHECK(cv::norm(back, bgr, cv::NORM_INF) <= 1.0);
  }
}

TEST_CASE("image_to_tensor fills batch slots and refuses a mismatched size", "[nn][image]") {
  cv::Mat img(2, 2, CV_8UC3, cv::Scalar(1, 2, 3));
  ImageToTensor spec;
  Tensor batch = Tensor::zeros(DType::f16, {2, 3, 2, 2});
  image_to_tensor(img, spec, batch, 1);
  CHECK(half_to_float(batch.data<uint16_t>()[12]) == 3.f);  // slot 1, channel R
  CHECK(half_to_float(batch.data<uint16_t>()[0]) == 0.f);   // slot 0 untouched
  CHECK_THROWS_AS(image_to_tensor(cv::Mat(3, 2, CV_8UC3), spec, batch, 0), neuropipe::Error);
  CHECK_THROWS_AS(image_to_tensor(img, spec, batch, 2), neuropipe::Error);
}
