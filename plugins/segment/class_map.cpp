#include "class_map.hpp"

#include <algorithm>
#include <neuropipe/error.hpp>
#include <opencv2/imgproc.hpp>

namespace neuropipe::segment {

Decoding parse_decoding(const std::string& decoding, const std::string& output_layout) {
  if (decoding == "deeplab_logits")
    return output_layout == "NCHW" ? Decoding::logits_nchw : Decoding::logits_nhwc;
  if (decoding == "logits_nhwc") return Decoding::logits_nhwc;
  if (decoding == "logits_nchw") return Decoding::logits_nchw;
  if (decoding == "person_prob") return Decoding::person_prob;
  throw Error("segment: unknown output decoding '" + decoding +
              "' (deeplab_logits, logits_nhwc, logits_nchw or person_prob)");
}

namespace {

[[noreturn]] void bad_shape(const nn::Tensor& t, const std::string& expected) {
  throw Error("segment: output shape " + nn::shape_to_string(t.shape()) +
              " does not fit the decoding (expected " + expected + ")");
}

// Argmax over the class axis, giving class ids at model resolution.
cv::Mat argmax_classes(const float* data, int height, int width, int classes, bool channels_last) {
  if (classes > 256) throw Error("segment: " + std::to_string(classes) + " classes do not fit 8-bit labels");
  cv::Mat ids(height, width, CV_8UC1);
  const size_t plane = size_t(height) * size_t(width);
  for (int y = 0; y < height; ++y) {
    uint8_t* row = ids.ptr<uint8_t>(y);
    for (int x = 0; x < width; ++x) {
      const size_t pixel = size_t(y) * size_t(width) + size_t(x);
      int best = 0;
      float best_score = channels_last ? data[pixel * size_t(classes)] : data[pixel];
      for (int c = 1; c < classes; ++c) {
        const float s =
            channels_last ? data[pixel * size_t(classes) + size_t(c)] : data[size_t(c) * plane + pixel];
        if (s > best_score) best_score = s, best = c;
      }
      row[x] = static_cast<uint8_t>(best);
    }
  }
  return ids;
}

// The part of the model output that shows the frame (letterbox pads right and
// bottom), in output pixels; the output may be smaller than the input.
cv::Rect frame_region(const plugin::Fit& fit, cv::Size output) {
  const float kx = float(output.width) / float(fit.model_size.width);
  const float ky = float(output.height) / float(fit.model_size.height);
  const float w = float(fit.frame_size.width) * fit.scale_x - fit.offset_x;
  const float h = float(fit.frame_size.height) * fit.scale_y - fit.offset_y;
  const cv::Rect region(0, 0, std::max(1, int(w * kx + 0.5f)), std::max(1, int(h * ky + 0.5f)));
  return region & cv::Rect(cv::Point(0, 0), output);
}

ClassMap decode_logits(const nn::Tensor& out, bool channels_last, const plugin::Fit& fit) {
  if (out.rank() != 4 || out.dim(0) != 1) bad_shape(out, channels_last ? "[1,H,W,C]" : "[1,C,H,W]");
  const int classes = int(channels_last ? out.dim(3) : out.dim(1));
  const int h = int(channels_last ? out.dim(1) : out.dim(2)),
            w = int(channels_last ? out.dim(2) : out.dim(3));
  const cv::Mat ids = argmax_classes(out.data<float>(), h, w, classes, channels_last);
  ClassMap map;
  map.num_classes = classes;
  cv::resize(ids(frame_region(fit, ids.size())), map.labels, fit.frame_size, 0, 0, cv::INTER_NEAREST);
  return map;
}

// The probability is resized smoothly first, so the person's outline on a
// large frame is not the blocky outline of the small model output.
ClassMap decode_probability(const nn::Tensor& out, const plugin::Fit& fit, float threshold) {
  if (out.rank() != 4 || out.dim(0) != 1 || (out.dim(1) != 1 && out.dim(3) != 1))
    bad_shape(out, "[1,H,W,1] or [1,1,H,W]");
  const int h = int(out.dim(1) == 1 ? out.dim(2) : out.dim(1)),
            w = int(out.dim(1) == 1 ? out.dim(3) : out.dim(2));
  const cv::Mat prob(h, w, CV_32FC1, const_cast<float*>(out.data<float>()));
  ClassMap map;
  map.num_classes = 2;
  cv::resize(prob(frame_region(fit, prob.size())), map.confidence, fit.frame_size, 0, 0, cv::INTER_LINEAR);
  cv::threshold(map.confidence, map.labels, threshold, 1.0, cv::THRESH_BINARY);
  map.labels.convertTo(map.labels, CV_8U);
  return map;
}

}  // namespace

ClassMap decode(const nn::Tensor& output, Decoding decoding, const plugin::Fit& fit, float threshold) {
  const nn::Tensor f = output.dtype() == nn::DType::f32 ? output : output.to(nn::DType::f32);
  switch (decoding) {
    case Decoding::logits_nhwc:
      return decode_logits(f, true, fit);
    case Decoding::logits_nchw:
      return decode_logits(f, false, fit);
    case Decoding::person_prob:
      return decode_probability(f, fit, threshold);
  }
  throw Error("segment: unhandled decoding");
}

}  // namespace neuropipe::segment
