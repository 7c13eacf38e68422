#include "neuropipe/plugin/vision.hpp"

#include <algorithm>

#include <opencv2/imgproc.hpp>

#include "neuropipe/error.hpp"

namespace neuropipe::plugin {

ResizeMode parse_resize_mode(const std::string& text) {
  if (text == "stretch") return ResizeMode::stretch;
  if (text == "letterbox") return ResizeMode::letterbox;
  if (text == "center_crop") return ResizeMode::center_crop;
  throw Error("unknown resize mode '" + text + "' (choose stretch, letterbox or center_crop)");
}

cv::Point2f Fit::to_frame(cv::Point2f p) const {
  return {(p.x + offset_x) / scale_x, (p.y + offset_y) / scale_y};
}

cv::Rect2f Fit::to_frame(const cv::Rect2f& r) const {
  cv::Point2f tl = to_frame(r.tl()), br = to_frame(r.br());
  const float w = static_cast<float>(frame_size.width), h = static_cast<float>(frame_size.height);
  tl.x = std::clamp(tl.x, 0.f, w);
  tl.y = std::clamp(tl.y, 0.f, h);
  br.x = std::clamp(br.x, 0.f, w);
  br.y = std::clamp(br.y, 0.f, h);
  return {tl, br};
}

nn::ImageToTensor tensor_spec(const models::InputSpec& spec) {
  nn::ImageToTensor t;
  t.nchw = spec.layout == models::Layout::NCHW;
  t.rgb = spec.color == models::ColorOrder::RGB;
  t.scale = spec.scale;
  for (size_t c = 0; c < 3; ++c) {
    t.mean[c] = spec.mean[c];
    t.std[c] = spec.std[c];
  }
  t.dtype = spec.dtype == models::DType::F16 ? nn::DType::f16 : nn::DType::f32;
  return t;
}

namespace {
// Resizes `bgr` into a model-size canvas per `mode`, recording the mapping.
cv::Mat fit_into(const cv::Mat& bgr, cv::Size model, ResizeMode mode, Fit& fit) {
  fit.frame_size = bgr.size();
  fit.model_size = model;
  const float sx = float(model.width) / float(bgr.cols), sy = float(model.height) / float(bgr.rows);
  const int interp = (sx < 1.f || sy < 1.f) ? cv::INTER_AREA : cv::INTER_LINEAR;
  cv::Mat out;
  if (mode == ResizeMode::stretch) {
    fit.scale_x = sx;
    fit.scale_y = sy;
    cv::resize(bgr, out, model, 0, 0, interp);
    return out;
  }
  const float s = mode == ResizeMode::letterbox ? std::min(sx, sy) : std::max(sx, sy);
  fit.scale_x = fit.scale_y = s;
  cv::Size scaled(std::max(1, int(float(bgr.cols) * s + 0.5f)), std::max(1, int(float(bgr.rows) * s + 0.5f)));
  cv::Mat resized;
  cv::resize(bgr, resized, scaled, 0, 0, interp);
  if (mode == ResizeMode::letterbox) {
    out = cv::Mat::zeros(model, bgr.type());
    resized.copyTo(out(cv::Rect(0, 0, std::min(scaled.width, model.width), std::min(scaled.height, model.height))));
    return out;
  }
  const int x = std::max(0, (scaled.width - model.width) / 2), y = std::max(0, (scaled.height - model.height) / 2);
  fit.offset_x = float(x);
  fit.offset_y = float(y);
  return resized(cv::Rect(x, y, model.width, model.height)).clone();
}
}  // namespace

PreparedInput prepare_input(const cv::Mat& bgr, const models::InputSpec& spec, ResizeMode mode, cv::Size size) {
  if (bgr.empty()) throw Error("prepare_input: empty image");
  cv::Size model = size.area() > 0 ? size : cv::Size(spec.width, spec.height);
  if (model.area() <= 0) throw Error("prepare_input: model input '" + spec.tensor + "' has no size in the manifest");
  PreparedInput in;
  in.resized = fit_into(bgr, model, mode, in.fit);
  cv::Mat pixels = in.resized;
  if (spec.channels == 1 && pixels.channels() == 3) cv::cvtColor(pixels, pixels, cv::COLOR_BGR2GRAY);
  in.tensor = nn::image_to_tensor(pixels, tensor_spec(spec));
  return in;
}

}  // namespace neuropipe::plugin
