#include "onnx_test_case.hpp"

#include <onnx/onnx_pb.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "neuropipe/nn/model.hpp"
#include "nn/onnx/tensor_proto.hpp"

namespace neuropipe::test {

namespace fs = std::filesystem;
using nn::DType;
using nn::Tensor;

namespace {

Tensor read_tensor_pb(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  onnx::TensorProto proto;
  if (!in || !proto.ParseFromIstream(&in)) throw nn::Unsupported(file.filename().string() + " is not a TensorProto");
  return nn::onnx_import::tensor_from_proto(proto, {file.parent_path(), 4ull << 30, file.string()});
}

std::vector<fs::path> numbered(const fs::path& dir, const std::string& prefix) {
  std::vector<fs::path> files;
  for (int i = 0; fs::exists(dir / (prefix + std::to_string(i) + ".pb")); ++i)
    files.push_back(dir / (prefix + std::to_string(i) + ".pb"));
  return files;
}

bool is_float(DType t) { return t == DType::f32 || t == DType::f64 || t == DType::f16; }

// "" when equal, else the reason with the largest error.
std::string compare(const Tensor& got, const Tensor& want) {
  if (got.dtype() != want.dtype())
    return std::string("dtype ") + nn::dtype_name(got.dtype()) + ", expected " + nn::dtype_name(want.dtype());
  if (got.shape() != want.shape())
    return "shape " + nn::shape_to_string(got.shape()) + ", expected " + nn::shape_to_string(want.shape());
  if (want.dtype() == DType::string) return *got.strings == *want.strings ? "" : "string values differ";
  Tensor g = is_float(want.dtype()) ? got.to(DType::f64) : got.to(DType::i64);
  Tensor w = is_float(want.dtype()) ? want.to(DType::f64) : want.to(DType::i64);
  double worst = 0;
  int64_t worst_at = -1;
  for (int64_t i = 0; i < w.numel(); ++i) {
    if (is_float(want.dtype())) {
      double a = g.data<double>()[i], b = w.data<double>()[i];
      if (std::isnan(a) && std::isnan(b)) continue;
      if (a == b) continue;  // also equal infinities
      double err = std::abs(a - b);
      if (!(err <= kAtol + kRtol * std::abs(b)) && (worst_at < 0 || err > worst || std::isnan(err))) {
        worst = err;
        worst_at = i;
      }
    } else if (g.data<int64_t>()[i] != w.data<int64_t>()[i] && worst_at < 0) {
      worst_at = i;
    }
  }
  if (worst_at < 0) return "";
  std::ostringstream why;
  if (is_float(want.dtype()))
    why << "max error " << worst << " at " << worst_at << " (got " << g.data<double>()[worst_at] << ", expected "
        << w.data<double>()[worst_at] << ")";
  else
    why << "value at " << worst_at << " is " << g.data<int64_t>()[worst_at] << ", expected "
        << w.data<int64_t>()[worst_at];
  return why.str();
}

nn::NamedTensors read_inputs(const nn::Model& model, const fs::path& set_dir) {
  nn::NamedTensors inputs;
  auto files = numbered(set_dir, "input_");
  if (files.size() > model.inputs().size())
    throw std::runtime_error("test set has " + std::to_string(files.size()) + " inputs, the model takes " +
                             std::to_string(model.inputs().size()));
  for (size_t i = 0; i < files.size(); ++i) inputs[model.inputs()[i].name] = read_tensor_pb(files[i]);
  return inputs;
}

std::string run_set(const nn::Model& model, nn::Session& session, const fs::path& set_dir) {
  nn::NamedTensors outputs = session.run(read_inputs(model, set_dir));
  auto expected = numbered(set_dir, "output_");
  for (size_t i = 0; i < expected.size() && i < model.outputs().size(); ++i) {
    const std::string& name = model.outputs()[i].name;
    std::string why = compare(outputs.at(name), read_tensor_pb(expected[i]));
    if (!why.empty()) return set_dir.filename().string() + " output '" + name + "': " + why;
  }
  return "";
}

}  // namespace

CaseResult run_onnx_test_case(const fs::path& dir) {
  try {
    auto model = nn::Model::load(dir / "model.onnx");
    nn::Session session(model);
    std::vector<fs::path> sets;
    for (const auto& e : fs::directory_iterator(dir))
      if (e.is_directory() && e.path().filename().string().rfind("test_data_set_", 0) == 0) sets.push_back(e.path());
    std::sort(sets.begin(), sets.end());
    if (sets.empty()) return {Outcome::failed, "no test_data_set_* folder"};
    for (const auto& set : sets)
      if (std::string why = run_set(*model, session, set); !why.empty()) return {Outcome::failed, why};
    return {Outcome::passed, ""};
  } catch (const nn::Unsupported& e) {
    return {Outcome::unsupported, e.what()};
  } catch (const std::exception& e) {
    return {Outcome::failed, e.what()};
  } catch (...) {
    return {Outcome::failed, "unknown exception"};
  }
}

}  // namespace neuropipe::test
