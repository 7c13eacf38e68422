#include "parity_support.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>

#include <catch2/catch.hpp>
#include <onnx/onnx_pb.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "neuropipe/nn/image.hpp"
#include "test_support.hpp"

namespace neuropipe::test {

namespace fs = std::filesystem;

double max_rel_err(const nn::Tensor& ours, const nn::Tensor& ref) {
  REQUIRE(ours.shape() == ref.shape());
  nn::Tensor a = ours.to(nn::DType::f32), b = ref.to(nn::DType::f32);
  double max_diff = 0.0, max_ref = 0.0;
  for (int64_t i = 0; i < a.numel(); ++i) {
    max_diff = std::max(max_diff, std::abs(double(a.data<float>()[i]) - double(b.data<float>()[i])));
    max_ref = std::max(max_ref, std::abs(double(b.data<float>()[i])));
  }
  if (std::getenv("NEUROPIPE_PARITY_VERBOSE"))
    std::cout << "  max_abs_diff=" << max_diff << " max_abs_ref=" << max_ref << "\n";
  return max_diff / std::max(max_ref, 1e-2);
}

nn::Tensor input_from_photo(const std::string& media_relative, const models::InputSpec& spec) {
  fs::path path = shared_file("media/" + media_relative);
  cv::Mat bgr = cv::imread(path.string(), cv::IMREAD_COLOR);
  REQUIRE_FALSE(bgr.empty());
  cv::resize(bgr, bgr, cv::Size(spec.width, spec.height), 0, 0, cv::INTER_AREA);
  if (spec.color == models::ColorOrder::GRAY) cv::cvtColor(bgr, bgr, cv::COLOR_BGR2GRAY);
  nn::ImageToTensor t;
  t.nchw = spec.layout == models::Layout::NCHW;
  t.rgb = spec.color == models::ColorOrder::RGB;
  t.scale = spec.scale;
  for (int c = 0; c < 3; ++c) {
    t.mean[c] = spec.mean[static_cast<size_t>(c)];
    t.std[c] = spec.std[static_cast<size_t>(c)];
  }
  t.dtype = spec.dtype == models::DType::F16 ? nn::DType::f16 : nn::DType::f32;
  return nn::image_to_tensor(bgr, t);
}

nn::Tensor read_tensor_proto(const fs::path& file) {
  if (!fs::exists(file)) FAIL("missing reference tensor " << file << " (run tools/export/export_models.py)");
  onnx::TensorProto proto;
  std::ifstream in(file, std::ios::binary);
  REQUIRE(proto.ParseFromIstream(&in));
  nn::Shape shape(proto.dims().begin(), proto.dims().end());
  nn::DType dtype = nn::DType::f32;
  switch (proto.data_type()) {
    case onnx::TensorProto::FLOAT: dtype = nn::DType::f32; break;
    case onnx::TensorProto::INT64: dtype = nn::DType::i64; break;
    case onnx::TensorProto::INT32: dtype = nn::DType::i32; break;
    default: FAIL("unexpected reference dtype in " << file);
  }
  nn::Tensor t = nn::Tensor::empty(dtype, shape);
  REQUIRE(proto.raw_data().size() == t.bytes());
  std::memcpy(t.raw(), proto.raw_data().data(), t.bytes());
  return t;
}

}  // namespace neuropipe::test
