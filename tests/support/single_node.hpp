#pragma once
// Builds a one-node ONNX model in memory and runs it through the real
// importer and executor, so kernel tests exercise exactly the path a model
// file takes (attribute decoding, constant inputs, opset dispatch).
#include <cstdint>
#include <string>
#include <vector>

#include "neuropipe/nn/model.hpp"

namespace neuropipe::test {

class SingleNode {
 public:
  SingleNode(std::string op_type, int opset);
  ~SingleNode();
  SingleNode(const SingleNode&) = delete;
  SingleNode& operator=(const SingleNode&) = delete;

  // A run-time input (graph input) or a constant one (initializer); "" skips an optional slot.
  SingleNode& input(const nn::Tensor& value);
  SingleNode& constant(const nn::Tensor& value);
  SingleNode& absent();
  SingleNode& attr(const std::string& name, int64_t v);
  SingleNode& attr(const std::string& name, float v);
  SingleNode& attr(const std::string& name, const std::string& v);
  SingleNode& attr(const std::string& name, const std::vector<int64_t>& v);
  SingleNode& attr(const std::string& name, const std::vector<float>& v);
  // Output count and element types (the importer needs a declared type); default one float.
  SingleNode& outputs(std::vector<nn::DType> types);

  // Loads the model (kernel factories run here) and runs it once.
  std::vector<nn::Tensor> run();

 private:
  struct Proto;
  Proto* proto_;
  std::vector<nn::DType> outputs_{nn::DType::f32};
  nn::NamedTensors feeds_;
};

// Float tensor helper.
nn::Tensor floats(const std::vector<float>& v, const nn::Shape& shape);
nn::Tensor ints(const std::vector<int64_t>& v, const nn::Shape& shape);
std::vector<float> values(const nn::Tensor& t);

}  // namespace neuropipe::test
