#pragma once
// Resize is separable: along each dim, every output index reads a few input
// indices (its taps) with weights. This file turns the ONNX attributes
// (coordinate_transformation_mode, mode, nearest_mode, cubic_coeff_a,
// exclude_outside) into those taps, following the ONNX reference
// implementation: taps beyond the border repeat the edge value.
#include <cstdint>
#include <string>
#include <vector>

namespace neuropipe::nn::ops {

enum class ResizeMode { nearest, linear, cubic };
enum class CoordinateMode {
  half_pixel,
  pytorch_half_pixel,
  align_corners,
  asymmetric,
  tf_half_pixel_for_nn,
  tf_crop_and_resize
};
// `simple` is Upsample's and Resize-10's rule: floor when enlarging, ceil when shrinking.
enum class NearestMode { round_prefer_floor, round_prefer_ceil, floor, ceil, simple };

struct ResizeOptions {
  ResizeMode mode = ResizeMode::nearest;
  CoordinateMode coordinates = CoordinateMode::half_pixel;
  NearestMode nearest = NearestMode::round_prefer_floor;
  double cubic_a = -0.75;
  bool exclude_outside = false;
  float extrapolation_value = 0.0f;
};

// One dim's resize: sizes, the scale (output / input, as given or derived
// from sizes) and, for tf_crop_and_resize, the roi window in [0, 1].
struct AxisResize {
  int64_t in = 1, out = 1;
  double scale = 1.0;
  double roi_start = 0.0, roi_end = 1.0;
};

// Taps of every output index: idx/weight hold `per_output` entries each;
// `outside[o]` marks outputs that take the extrapolation value instead.
struct AxisTaps {
  int64_t per_output = 1;
  std::vector<int64_t> index;
  std::vector<float> weight;
  std::vector<uint8_t> outside;
  bool any_outside = false;
  // True when output o is exactly input o (the dim needs no work).
  bool identity = false;
};

AxisTaps compute_taps(const AxisResize& axis, const ResizeOptions& options);

// Parsers for the string attributes; they return false for unknown names.
bool parse_resize_mode(const std::string& s, ResizeMode& out);
bool parse_coordinate_mode(const std::string& s, CoordinateMode& out);
bool parse_nearest_mode(const std::string& s, NearestMode& out);

}  // namespace neuropipe::nn::ops
