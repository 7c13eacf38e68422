#include "shorter_side_input.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <neuropipe/error.hpp>

namespace neuropipe::detect {

namespace {

int64_t round_up(int64_t value, int multiple) { return multiple > 1 ? (value + multiple - 1) / multiple * multiple : value; }

// [1,C,H,W] (or [1,H,W,C]) f32 into a zero canvas whose H and W are multiples of `multiple`.
nn::Tensor zero_padded(const nn::Tensor& t, bool nchw, int multiple) {
  const auto& s = t.shape();
  const int64_t h = nchw ? s[2] : s[1], w = nchw ? s[3] : s[2], c = nchw ? s[1] : s[3];
  const int64_t ph = round_up(h, multiple), pw = round_up(w, multiple);
  if (ph == h && pw == w) return t;
  nn::Tensor out = nn::Tensor::zeros(nn::DType::f32, nchw ? nn::Shape{1, c, ph, pw} : nn::Shape{1, ph, pw, c});
  const float* src = t.data<float>();
  float* dst = out.data<float>();
  if (nchw) {
    for (int64_t ch = 0; ch < c; ++ch)
      for (int64_t y = 0; y < h; ++y)
        std::memcpy(dst + (ch * ph + y) * pw, src + (ch * h + y) * w, size_t(w) * sizeof(float));
  } else {
    for (int64_t y = 0; y < h; ++y) std::memcpy(dst + y * pw * c, src + y * w * c, size_t(w * c) * sizeof(float));
  }
  return out;
}

}  // namespace

cv::Size shorter_side_size(cv::Size frame, int shorter_side) {
  if (frame.area() <= 0 || shorter_side <= 0)
    throw Error("shorter-side resize: frame " + std::to_string(frame.width) + "x" + std::to_string(frame.height) +
                " to shorter side " + std::to_string(shorter_side) + " is empty");
  const double ratio = double(shorter_side) / double(std::min(frame.width, frame.height));
  return {std::max(1, int(std::lround(frame.width * ratio))), std::max(1, int(std::lround(frame.height * ratio)))};
}

plugin::PreparedInput prepare_shorter_side_input(const cv::Mat& bgr, const models::InputSpec& spec,
                                                 int shorter_side, int multiple) {
  if (spec.dtype != models::DType::F32)
    throw Error("shorter-side input '" + spec.tensor + "': only f32 models are padded (manifest dtype is f16)");
  plugin::PreparedInput in = plugin::prepare_input(bgr, spec, plugin::ResizeMode::stretch,
                                                   shorter_side_size(bgr.size(), shorter_side));
  in.tensor = zero_padded(in.tensor, spec.layout == models::Layout::NCHW, multiple);
  return in;
}

}  // namespace neuropipe::detect
