// Model::load: bytes -> onnx::ModelProto -> Graph IR -> passes -> plan.
#include <onnx/onnx_pb.h>

#include <fstream>
#include <limits>
#include <memory>

#include "nn/onnx/importer.hpp"
#include "nn/passes/pass.hpp"
#include "nn/runtime/model_impl.hpp"
#include "nn/runtime/planner.hpp"

namespace neuropipe::nn {

namespace {

std::vector<uint8_t> read_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error("cannot open model file " + file.string());
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw Error("cannot read model file " + file.string());
  return bytes;
}

std::unique_ptr<onnx::ModelProto> parse(std::span<const uint8_t> bytes, const std::string& name) {
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max()))
    throw Error(name + ": model files over 2 GiB must keep their weights in external data");
  auto proto = std::make_unique<onnx::ModelProto>();
  if (bytes.empty() || !proto->ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    throw Error(name + ": not a valid ONNX model (protobuf parsing failed: truncated or corrupt file)");
  return proto;
}

// Each stage frees its input before the next allocates (file bytes -> protobuf
// -> Graph tensors -> packed kernels), so peak memory at load stays near two
// copies of the weights instead of four.
std::shared_ptr<const Model> load_impl(std::unique_ptr<onnx::ModelProto> proto, const std::string& name,
                                       const std::filesystem::path& base_dir, const LoadOptions& options) {
  onnx_import::ImportedModel imported = onnx_import::import_model(*proto, name, base_dir, options);
  proto.reset();
  run_passes(*imported.graph, PassContext{name, options});
  plan_graph(*imported.graph, name);
  auto impl = std::make_unique<ModelImpl>();
  impl->name = name;
  impl->options = options;
  impl->graph = std::move(imported.graph);
  impl->inputs = std::move(imported.inputs);
  impl->outputs = std::move(imported.outputs);
  impl->opset = imported.opset;
  return std::make_shared<const Model>(std::move(impl));
}

}  // namespace

std::shared_ptr<const Model> Model::load(const std::filesystem::path& file, const LoadOptions& options) {
  std::unique_ptr<onnx::ModelProto> proto = parse(read_file(file), file.string());  // the bytes die here
  return load_impl(std::move(proto), file.string(), file.parent_path(), options);
}

std::shared_ptr<const Model> Model::load_from_memory(std::span<const uint8_t> bytes, const std::string& name,
                                                     const LoadOptions& options) {
  return load_impl(parse(bytes, name), name, std::filesystem::current_path(), options);
}

Model::Model(std::unique_ptr<ModelImpl> impl) : impl_(std::move(impl)) {}
Model::~Model() = default;

const std::string& Model::name() const { return impl_->name; }
const std::vector<TensorInfo>& Model::inputs() const { return impl_->inputs; }
const std::vector<TensorInfo>& Model::outputs() const { return impl_->outputs; }
int Model::opset() const { return impl_->opset; }
size_t Model::node_count() const { return impl_->graph->nodes.size(); }

}  // namespace neuropipe::nn
