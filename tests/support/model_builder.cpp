#include "model_builder.hpp"

#include <cstring>

namespace neuropipe::test {

ModelBuilder::ModelBuilder(int opset, int ir_version) {
  proto.set_ir_version(ir_version);
  proto.set_producer_name("neuropipe-tests");
  auto* op = proto.add_opset_import();
  op->set_domain("");
  op->set_version(opset);
  graph().set_name("test");
}

namespace {
void set_type(onnx::ValueInfoProto* vi, int elem_type, const std::vector<int64_t>& dims,
              const std::vector<std::string>& names) {
  auto* tt = vi->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(elem_type);
  auto* shape = tt->mutable_shape();
  for (size_t i = 0; i < dims.size(); ++i) {
    auto* d = shape->add_dim();
    if (dims[i] >= 0) d->set_dim_value(dims[i]);
    else if (i < names.size()) d->set_dim_param(names[i]);
  }
}
}  // namespace

void ModelBuilder::input(const std::string& name, int elem_type, const std::vector<int64_t>& dims,
                         const std::vector<std::string>& dim_names) {
  auto* vi = graph().add_input();
  vi->set_name(name);
  set_type(vi, elem_type, dims, dim_names);
}

void ModelBuilder::output(const std::string& name, int elem_type, const std::vector<int64_t>& dims) {
  auto* vi = graph().add_output();
  vi->set_name(name);
  set_type(vi, elem_type, dims, {});
}

onnx::NodeProto& ModelBuilder::node(const std::string& op, const std::vector<std::string>& inputs,
                                    const std::vector<std::string>& outputs, const std::string& name) {
  auto* n = graph().add_node();
  n->set_op_type(op);
  n->set_name(name.empty() ? op + std::to_string(graph().node_size()) : name);
  for (const auto& i : inputs) n->add_input(i);
  for (const auto& o : outputs) n->add_output(o);
  return *n;
}

onnx::TensorProto& ModelBuilder::initializer(const std::string& name, const std::vector<int64_t>& dims,
                                             const std::vector<float>& values, bool raw) {
  auto* t = graph().add_initializer();
  t->set_name(name);
  t->set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : dims) t->add_dims(d);
  if (raw) t->set_raw_data(std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float)));
  else for (float v : values) t->add_float_data(v);
  return *t;
}

std::shared_ptr<const nn::Model> ModelBuilder::load(const nn::LoadOptions& options) const {
  std::string b = bytes();
  return nn::Model::load_from_memory({reinterpret_cast<const uint8_t*>(b.data()), b.size()}, "built-model", options);
}

ModelBuilder add_model(bool raw_initializer) {
  ModelBuilder m;
  m.input("x", onnx::TensorProto::FLOAT, {2, 3});
  m.initializer("w", {2, 3}, {1, 2, 3, 4, 5, 6}, raw_initializer);
  m.node("Add", {"x", "w"}, {"y"}, "add");
  m.output("y", onnx::TensorProto::FLOAT, {2, 3});
  return m;
}

}  // namespace neuropipe::test
