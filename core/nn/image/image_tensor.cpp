// Image <-> tensor with whole-plane OpenCV operations (SIMD inside OpenCV):
// no per-pixel calls. NCHW planes are written straight into the tensor
// through cv::Mat headers on its memory.
#include <opencv2/imgproc.hpp>

#include "neuropipe/error.hpp"
#include "neuropipe/nn/image.hpp"

namespace neuropipe::nn {

namespace {

struct Layout {
  int64_t c, h, w;
};

Layout layout_of(const Tensor& t, bool nchw, const char* what) {
  if (t.rank() != 4)
    throw Error(std::string(what) + ": expected a rank-4 tensor, got " + shape_to_string(t.shape()));
  return nchw ? Layout{t.dim(1), t.dim(2), t.dim(3)} : Layout{t.dim(3), t.dim(1), t.dim(2)};
}

// 8-bit, 1 or 3 channels, in the model's channel order.
cv::Mat model_channels(const cv::Mat& bgr, const ImageToTensor& spec) {
  if (bgr.empty()) throw Error("image_to_tensor: the image is empty");
  if (bgr.depth() != CV_8U) throw Error("image_to_tensor: expected an 8-bit image");
  // Conversions write to a new Mat: the caller's pixels are shared, never modified.
  cv::Mat src = bgr, converted;
  if (src.channels() == 4) {
    cv::cvtColor(src, converted, cv::COLOR_BGRA2BGR);
    src = converted;
  }
  if (src.channels() != 1 && src.channels() != 3)
    throw Error("image_to_tensor: expected 1, 3 or 4 channels, got " + std::to_string(src.channels()));
  if (src.channels() == 3 && spec.rgb) {
    cv::Mat rgb;
    cv::cvtColor(src, rgb, cv::COLOR_BGR2RGB);
    return rgb;
  }
  return src;
}

// y = (x * scale - mean) / std into float memory at `dst` (NCHW plane per channel or interleaved).
void normalise_into(const cv::Mat& src, const ImageToTensor& spec, float* dst) {
  int channels = src.channels();
  if (spec.nchw) {
    std::vector<cv::Mat> planes;
    cv::split(src, planes);
    size_t plane = src.total();
    for (int c = 0; c < channels; ++c) {
      cv::Mat out(src.rows, src.cols, CV_32F, dst + c * plane);
      planes[c].convertTo(out, CV_32F, spec.scale / spec.std[c], -spec.mean[c] / spec.std[c]);
    }
    return;
  }
  cv::Mat out(src.rows, src.cols, CV_32FC(channels), dst);
  src.convertTo(out, CV_32F, spec.scale);
  cv::Scalar mean(spec.mean[0], spec.mean[1], spec.mean[2]), stdev(spec.std[0], spec.std[1], spec.std[2]);
  cv::subtract(out, mean, out);
  cv::divide(out, stdev, out);
}

}  // namespace

Tensor image_to_tensor(const cv::Mat& bgr, const ImageToTensor& spec) {
  cv::Mat src = model_channels(bgr, spec);
  int64_t c = src.channels();
  Shape shape = spec.nchw ? Shape{1, c, src.rows, src.cols} : Shape{1, src.rows, src.cols, c};
  Tensor t = Tensor::empty(DType::f32, shape);
  normalise_into(src, spec, t.data<float>());
  return spec.dtype == DType::f32 ? t : t.to(spec.dtype);
}

void image_to_tensor(const cv::Mat& bgr, const ImageToTensor& spec, Tensor& batch, int64_t n) {
  cv::Mat src = model_channels(bgr, spec);
  Layout l = layout_of(batch, spec.nchw, "image_to_tensor");
  if (n < 0 || n >= batch.dim(0))
    throw Error("image_to_tensor: batch slot " + std::to_string(n) + " outside " + shape_to_string(batch.shape()));
  if (l.c != src.channels() || l.h != src.rows || l.w != src.cols)
    throw Error("image_to_tensor: a " + std::to_string(src.cols) + "x" + std::to_string(src.rows) + "x" +
                std::to_string(src.channels()) + " image does not fit tensor " + shape_to_string(batch.shape()));
  size_t slot = static_cast<size_t>(l.c * l.h * l.w);
  if (batch.dtype() == DType::f32) return normalise_into(src, spec, batch.data<float>() + n * slot);
  if (batch.dtype() != DType::f16)
    throw Error(std::string("image_to_tensor: batch dtype ") + dtype_name(batch.dtype()) + " is not f32/f16");
  std::vector<float> tmp(slot);
  normalise_into(src, spec, tmp.data());
  cv::Mat(1, static_cast<int>(slot), CV_32F, tmp.data())
      .convertTo(cv::Mat(1, static_cast<int>(slot), CV_16F, batch.data<uint16_t>() + n * slot), CV_16F);
}

cv::Mat tensor_to_image(const Tensor& t, const ImageToTensor& spec, int64_t n) {
  Layout l = layout_of(t, spec.nchw, "tensor_to_image");
  if (l.c != 1 && l.c != 3) throw Error("tensor_to_image: expected 1 or 3 channels in " + shape_to_string(t.shape()));
  if (n < 0 || n >= t.dim(0)) throw Error("tensor_to_image: batch slot " + std::to_string(n) + " out of range");
  Tensor f = t.dtype() == DType::f32 ? t : t.to(DType::f32);
  size_t slot = static_cast<size_t>(l.c * l.h * l.w);
  float* src = const_cast<float*>(f.data<float>()) + n * slot;  // read only: the Mats below are inputs
  int rows = static_cast<int>(l.h), cols = static_cast<int>(l.w), channels = static_cast<int>(l.c);
  std::vector<cv::Mat> planes(channels);
  for (int c = 0; c < channels; ++c) {
    // x = (y * std + mean) / scale, saturated to 8 bits by convertTo.
    double alpha = spec.std[c] / spec.scale, beta = spec.mean[c] / spec.scale;
    cv::Mat plane;
    if (spec.nchw) {
      plane = cv::Mat(rows, cols, CV_32F, src + c * l.h * l.w);
    } else {
      cv::Mat interleaved(rows, cols, CV_32FC(channels), src);
      cv::extractChannel(interleaved, plane, c);
    }
    plane.convertTo(planes[c], CV_8U, alpha, beta);
  }
  cv::Mat image;
  cv::merge(planes, image);
  if (channels == 1) cv::cvtColor(image, image, cv::COLOR_GRAY2BGR);
  else if (spec.rgb) cv::cvtColor(image, image, cv::COLOR_RGB2BGR);
  return image;
}

}  // namespace neuropipe::nn
