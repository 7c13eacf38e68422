#pragma once
// The inputs a benchmark feeds a model: names, types and shapes read from the
// ONNX file itself (so every peer gets identical tensors, even for models the
// NeuroPipe engine cannot load), filled with deterministic pseudo-random data.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "peers/peer.hpp"

namespace neuropipe::bench {

using ShapeOverrides = std::map<std::string, std::vector<int64_t>>;

// Parses "name=1x3x224x224" (or "1x3x224x224" for the first input).
void parse_shape_override(const std::string& text, ShapeOverrides& out);

// Graph inputs that are not initializers, with symbolic dims resolved:
// overrides first, then the leading (batch) dim = batch; any other unknown
// dim is an error naming the input.
std::vector<NamedInput> make_inputs(const std::string& model_path, const ShapeOverrides& overrides, int batch);

std::map<std::string, std::vector<int64_t>> shapes_of(const std::vector<NamedInput>& inputs);

}  // namespace neuropipe::bench
