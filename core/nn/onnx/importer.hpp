#pragma once
// ONNX ModelProto -> Graph IR. Checks IR/opset versions, decodes initializers
// (raw, typed or external), turns Constant nodes into constants, resolves
// every value name (subgraphs may read enclosing graphs' values), orders the
// nodes topologically and computes f16 -> f32 (the engine computes fp16
// models in fp32; the Session converts at the boundary).
#include <onnx/onnx_pb.h>

#include <filesystem>
#include <memory>

#include "neuropipe/nn/model.hpp"
#include "nn/graph.hpp"

namespace neuropipe::nn::onnx_import {

inline constexpr int kMinIrVersion = 3, kMaxIrVersion = 10;
inline constexpr int kMinOpset = 7, kMaxOpset = 18;

struct ImportedModel {
  std::shared_ptr<Graph> graph;
  std::vector<TensorInfo> inputs;   // user-facing: declared dtypes (f16 stays f16)
  std::vector<TensorInfo> outputs;
  int opset = 0;
};

// `model_name` prefixes every message; `base_dir` resolves external data.
ImportedModel import_model(onnx::ModelProto& proto, const std::string& model_name,
                           const std::filesystem::path& base_dir, const LoadOptions& options);

}  // namespace neuropipe::nn::onnx_import
