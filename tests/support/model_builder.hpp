#pragma once
// Small ONNX models built in code (onnx protobuf messages), so import edge
// cases are tested on exactly the bytes that exercise them.
#include <onnx/onnx_pb.h>

#include <string>
#include <vector>

#include "neuropipe/nn/model.hpp"

namespace neuropipe::test {

struct ModelBuilder {
  onnx::ModelProto proto;

  explicit ModelBuilder(int opset = 13, int ir_version = 8);
  onnx::GraphProto& graph() { return *proto.mutable_graph(); }
  // dims: >= 0 fixed, -1 symbolic named by `dim_names` (or unnamed).
  void input(const std::string& name, int elem_type, const std::vector<int64_t>& dims,
             const std::vector<std::string>& dim_names = {});
  void output(const std::string& name, int elem_type, const std::vector<int64_t>& dims);
  onnx::NodeProto& node(const std::string& op, const std::vector<std::string>& inputs,
                        const std::vector<std::string>& outputs, const std::string& name = "");
  // float initializer stored as raw_data (raw=true) or float_data.
  onnx::TensorProto& initializer(const std::string& name, const std::vector<int64_t>& dims,
                                 const std::vector<float>& values, bool raw = true);
  std::string bytes() const { return proto.SerializeAsString(); }
  std::shared_ptr<const nn::Model> load(const nn::LoadOptions& options = {}) const;
};

// y = x + w for a [2,3] float input, a handy minimal model.
ModelBuilder add_model(bool raw_initializer = true);

}  // namespace neuropipe::test
