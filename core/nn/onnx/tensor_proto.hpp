#pragma once
// onnx::TensorProto / TypeProto -> engine types, with every size checked
// against the declared dims before a byte is read (corrupt files and
// allocation bombs become neuropipe::Error, never an OOB read).
#include <onnx/onnx_pb.h>

#include <filesystem>
#include <string>

#include "nn/kernel.hpp"

namespace neuropipe::nn::onnx_import {

struct TensorSource {
  std::filesystem::path base_dir;    // external data is resolved relative to this
  uint64_t max_tensor_bytes = 4ull << 30;
  std::string what;                  // "initializer 'w'" / "node 'n' attribute 'value'" for messages
};

// ONNX elem_type -> DType; throws Unsupported (naming `what`) for complex/bfloat16-less types.
DType dtype_from_onnx(int elem_type, const std::string& what);
int dtype_to_onnx(DType t);

// Decodes raw_data, the typed repeated fields or external data. fp16 stays fp16.
Tensor tensor_from_proto(const onnx::TensorProto& proto, const TensorSource& source);

// Static type of a graph input/output/value_info. Non-tensor types throw Unsupported.
ValueType value_type_from_proto(const onnx::TypeProto& type, const std::string& what,
                                std::vector<std::string>* dim_names = nullptr);

}  // namespace neuropipe::nn::onnx_import
