#pragma once
// Helpers every vision plugin needs: fit a frame into a model's input as the
// model manifest describes it (size, layout, colour order, scale/mean/std,
// dtype) and map results in model coordinates back onto the frame.
//
//   auto in = plugin::prepare_input(frame.image(), spec, plugin::ResizeMode::letterbox);
//   auto out = session.run({{spec.tensor, in.tensor}});
//   cv::Rect2f box_on_frame = in.fit.to_frame(box_in_model_pixels);
#include <string>

#include <opencv2/core.hpp>

#include "neuropipe/models/store.hpp"
#include "neuropipe/nn/image.hpp"
#include "neuropipe/nn/tensor.hpp"

namespace neuropipe::plugin {

enum class ResizeMode {
  stretch,      // resize to the model size, aspect ratio not kept
  letterbox,    // keep aspect, pad right/bottom (zeros); results map back exactly
  center_crop,  // keep aspect, fill the model size, crop the overflow evenly
};
// "stretch" | "letterbox" | "center_crop"; throws naming the value.
ResizeMode parse_resize_mode(const std::string& text);

// How a frame was placed into the model input: model = frame * scale - offset.
struct Fit {
  cv::Size frame_size;
  cv::Size model_size;
  float scale_x = 1.f, scale_y = 1.f;
  float offset_x = 0.f, offset_y = 0.f;  // model pixels cropped away (center_crop)
  cv::Point2f to_frame(cv::Point2f model_px) const;
  cv::Rect2f to_frame(const cv::Rect2f& model_px) const;  // clipped to the frame
};

struct PreparedInput {
  nn::Tensor tensor;  // [1,C,H,W] or [1,H,W,C]
  Fit fit;
  cv::Mat resized;    // the BGR pixels that went in (model size)
};

// The manifest's pixel normalisation as an engine conversion spec.
nn::ImageToTensor tensor_spec(const models::InputSpec& spec);

// `size` overrides the manifest size (dynamic models); empty = manifest size.
PreparedInput prepare_input(const cv::Mat& bgr, const models::InputSpec& spec, ResizeMode mode,
                            cv::Size size = {});

}  // namespace neuropipe::plugin
