#pragma once
// Shared by the parity tests: inputs from real photos, reference tensors
// stored as ONNX TensorProto files, and the error measure.
#include <filesystem>
#include <string>

#include <opencv2/core.hpp>

#include "neuropipe/models/store.hpp"
#include "neuropipe/nn/tensor.hpp"
#include "exports.hpp"

namespace neuropipe::test {

// Max |ours - ref| divided by max |ref| (errors relative to the output's
// scale, so near-zero elements do not dominate). The scale is at least 1e-2:
// an output that is all near zero (an empty objectness map) is compared in
// absolute terms instead of amplifying float noise. Shapes must match.
double max_rel_err(const nn::Tensor& ours, const nn::Tensor& ref);

// A photo from ../shared/media resized to the model's input and laid out
// per its manifest input spec (layout, colour order, scale/mean/std, dtype).
nn::Tensor input_from_photo(const std::string& media_relative, const models::InputSpec& spec);

// An onnx::TensorProto file (as written by tools/export/export_models.py).
nn::Tensor read_tensor_proto(const std::filesystem::path& file);

}  // namespace neuropipe::test
