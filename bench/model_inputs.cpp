#include "model_inputs.hpp"

#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include <onnx/onnx_pb.h>

#include "neuropipe/error.hpp"

namespace neuropipe::bench {

namespace {

nn::DType dtype_of_onnx(int elem_type, const std::string& input) {
  switch (elem_type) {
    case onnx::TensorProto::FLOAT: return nn::DType::f32;
    case onnx::TensorProto::FLOAT16: return nn::DType::f16;
    case onnx::TensorProto::INT64: return nn::DType::i64;
    case onnx::TensorProto::INT32: return nn::DType::i32;
    case onnx::TensorProto::UINT8: return nn::DType::u8;
    case onnx::TensorProto::BOOL: return nn::DType::boolean;
    default: throw Error("benchmark input '" + input + "' has an unsupported element type " + std::to_string(elem_type));
  }
}

// Images in [0,1) work for every benchmarked model (scaling is inside or irrelevant to speed).
void fill(nn::Tensor& t, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> uni(0.f, 1.f);
  nn::Tensor f = nn::Tensor::empty(nn::DType::f32, t.shape());
  for (auto& v : f.span<float>()) v = uni(rng);
  t = t.dtype() == nn::DType::f32 ? f : f.to(t.dtype());
}

}  // namespace

void parse_shape_override(const std::string& text, ShapeOverrides& out) {
  std::string name, dims = text;
  if (auto eq = text.find('='); eq != std::string::npos) {
    name = text.substr(0, eq);
    dims = text.substr(eq + 1);
  }
  std::vector<int64_t> shape;
  std::stringstream ss(dims);
  for (std::string part; std::getline(ss, part, 'x');) {
    try {
      shape.push_back(std::stoll(part));
    } catch (const std::exception&) {
      throw Error("bad --shape '" + text + "': expected NAME=1x3x224x224");
    }
  }
  out[name] = shape;
}

std::vector<NamedInput> make_inputs(const std::string& model_path, const ShapeOverrides& overrides, int batch) {
  onnx::ModelProto model;
  std::ifstream in(model_path, std::ios::binary);
  if (!in || !model.ParseFromIstream(&in)) throw Error("cannot parse ONNX model " + model_path);
  std::set<std::string> initializers;
  for (const auto& t : model.graph().initializer()) initializers.insert(t.name());

  std::vector<NamedInput> inputs;
  uint32_t seed = 1234;
  for (const auto& v : model.graph().input()) {
    if (initializers.count(v.name())) continue;
    std::vector<int64_t> shape;
    auto it = overrides.find(v.name());
    if (it == overrides.end() && inputs.empty()) it = overrides.find("");
    if (it != overrides.end()) {
      shape = it->second;
    } else {
      const auto& dims = v.type().tensor_type().shape().dim();
      for (int i = 0; i < dims.size(); ++i) {
        if (dims[i].has_dim_value() && dims[i].dim_value() > 0) shape.push_back(dims[i].dim_value());
        else if (i == 0) shape.push_back(batch);
        else throw Error("model " + model_path + ": input '" + v.name() + "' dim " + std::to_string(i) +
                         " is symbolic; give it with --shape " + v.name() + "=...");
      }
    }
    if (batch > 1 && !shape.empty() && it == overrides.end()) shape[0] = batch;
    NamedInput ni{v.name(), nn::Tensor::empty(dtype_of_onnx(v.type().tensor_type().elem_type(), v.name()), shape)};
    fill(ni.tensor, seed++);
    inputs.push_back(std::move(ni));
  }
  return inputs;
}

std::map<std::string, std::vector<int64_t>> shapes_of(const std::vector<NamedInput>& inputs) {
  std::map<std::string, std::vector<int64_t>> out;
  for (const auto& in : inputs) out[in.name] = in.tensor.shape();
  return out;
}

}  // namespace neuropipe::bench
