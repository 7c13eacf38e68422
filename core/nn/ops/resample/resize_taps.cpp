#include "nn/ops/resample/resize_taps.hpp"

#include <algorithm>
#include <cmath>

namespace neuropipe::nn::ops {
namespace {

// Input coordinate of output index x. `out_length` is scale * in as a real
// number, as the ONNX reference uses it (it differs from the integer output
// size when the scale does not divide evenly).
double original_coordinate(double x, const AxisResize& a, CoordinateMode mode) {
  const double out_length = a.scale * static_cast<double>(a.in);
  const double in_last = static_cast<double>(a.in - 1);
  switch (mode) {
    case CoordinateMode::half_pixel:
      return (x + 0.5) / a.scale - 0.5;
    case CoordinateMode::pytorch_half_pixel:
      return out_length == 1.0 ? -0.5 : (x + 0.5) / a.scale - 0.5;
    case CoordinateMode::align_corners:
      return out_length == 1.0 ? 0.0 : x * in_last / (out_length - 1.0);
    case CoordinateMode::asymmetric:
      return x / a.scale;
    case CoordinateMode::tf_half_pixel_for_nn:
      return (x + 0.5) / a.scale;
    case CoordinateMode::tf_crop_and_resize: {
      const double span = (a.roi_end - a.roi_start) * in_last;
      return a.roi_start * in_last + (out_length == 1.0 ? span / 2.0 : x * span / (out_length - 1.0));
    }
  }
  return x;
}

// Keys cubic convolution weights for the taps at floor-1 .. floor+2.
void cubic_weights(double s, double a, double* w) {
  const auto near = [a](double t) { return ((a + 2) * t - (a + 3)) * t * t + 1; };       // |t| <= 1
  const auto far = [a](double t) { return ((a * t - 5 * a) * t + 8 * a) * t - 4 * a; };  // 1 < |t| < 2
  w[0] = far(s + 1);
  w[1] = near(s);
  w[2] = near(1 - s);
  w[3] = far(2 - s);
}

// Offset (0 = floor, 1 = floor + 1) that nearest mode picks for fraction `frac` of x.
int nearest_offset(double frac, NearestMode mode, double scale) {
  if (frac == 0.0) return 0;
  switch (mode) {
    case NearestMode::round_prefer_floor:
      return frac <= 0.5 ? 0 : 1;
    case NearestMode::round_prefer_ceil:
      return frac < 0.5 ? 0 : 1;
    case NearestMode::floor:
      return 0;
    case NearestMode::ceil:
      return 1;
    case NearestMode::simple:
      return scale < 1.0 ? 1 : 0;
  }
  return 0;
}

}  // namespace

AxisTaps compute_taps(const AxisResize& a, const ResizeOptions& o) {
  AxisTaps taps;
  taps.per_output = o.mode == ResizeMode::cubic ? 4 : o.mode == ResizeMode::linear ? 2 : 1;
  taps.outside.assign(static_cast<size_t>(a.out), 0);
  const int64_t last = a.in - 1;
  bool identity = a.in == a.out;
  for (int64_t i = 0; i < a.out; ++i) {
    const double x = original_coordinate(static_cast<double>(i), a, o.coordinates);
    if (o.coordinates == CoordinateMode::tf_crop_and_resize && (x < 0.0 || x > static_cast<double>(last))) {
      taps.outside[static_cast<size_t>(i)] = 1;
      taps.any_outside = true;
    }
    const double fl = std::floor(x);
    const double frac = x - fl;
    const int64_t base = static_cast<int64_t>(fl);
    double w[4] = {1, 0, 0, 0};
    int64_t first = base;
    if (o.mode == ResizeMode::nearest) {
      first = base + nearest_offset(frac, o.nearest, a.scale);
    } else if (o.mode == ResizeMode::linear) {
      w[0] = 1 - frac;
      w[1] = frac;
    } else {
      cubic_weights(frac, o.cubic_a, w);
      first = base - 1;
    }
    double total = 0;
    for (int64_t k = 0; k < taps.per_output; ++k) {
      const int64_t idx = first + k;
      if (o.exclude_outside && (idx < 0 || idx > last)) w[k] = 0;
      total += w[k];
    }
    for (int64_t k = 0; k < taps.per_output; ++k) {
      taps.index.push_back(std::clamp<int64_t>(first + k, 0, last));
      taps.weight.push_back(static_cast<float>(o.exclude_outside && total != 0 ? w[k] / total : w[k]));
    }
    const size_t at = taps.index.size() - static_cast<size_t>(taps.per_output);
    identity =
        identity && taps.index[at] == i && taps.weight[at] == 1.0f && !taps.outside[static_cast<size_t>(i)];
  }
  taps.identity = identity;
  return taps;
}

bool parse_resize_mode(const std::string& s, ResizeMode& out) {
  if (s == "nearest")
    out = ResizeMode::nearest;
  else if (s == "linear" || s == "bilinear")
    out = ResizeMode::linear;
  else if (s == "cubic")
    out = ResizeMode::cubic;
  else
    return false;
  return true;
}

bool parse_coordinate_mode(const std::string& s, CoordinateMode& out) {
  if (s == "half_pixel")
    out = CoordinateMode::half_pixel;
  else if (s == "pytorch_half_pixel")
    out = CoordinateMode::pytorch_half_pixel;
  else if (s == "align_corners")
    out = CoordinateMode::align_corners;
  else if (s == "asymmetric")
    out = CoordinateMode::asymmetric;
  else if (s == "tf_half_pixel_for_nn")
    out = CoordinateMode::tf_half_pixel_for_nn;
  else if (s == "tf_crop_and_resize")
    out = CoordinateMode::tf_crop_and_resize;
  else
    return false;
  return true;
}

bool parse_nearest_mode(const std::string& s, NearestMode& out) {
  if (s == "round_prefer_floor")
    out = NearestMode::round_prefer_floor;
  else if (s == "round_prefer_ceil")
    out = NearestMode::round_prefer_ceil;
  else if (s == "floor")
    out = NearestMode::floor;
  else if (s == "ceil")
    out = NearestMode::ceil;
  else
    return false;
  return true;
}

}  // namespace neuropipe::nn::ops
