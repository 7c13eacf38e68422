#include "single_node.hpp"

#include <onnx/onnx_pb.h>

#include <cstring>

#include "nn/onnx/tensor_proto.hpp"

namespace neuropipe::test {

struct SingleNode::Proto {
  onnx::ModelProto model;
  onnx::NodeProto* node = nullptr;
  int next_input = 0;
};

namespace {

onnx::TensorProto to_proto(const nn::Tensor& t, const std::string& name) {
  onnx::TensorProto p;
  p.set_name(name);
  p.set_data_type(nn::onnx_import::dtype_to_onnx(t.dtype()));
  for (int64_t d : t.shape()) p.add_dims(d);
  p.set_raw_data(std::string(static_cast<const char*>(t.raw()), t.bytes()));
  return p;
}

onnx::AttributeProto* new_attr(onnx::NodeProto* node, const std::string& name,
                               onnx::AttributeProto::AttributeType type) {
  onnx::AttributeProto* a = node->add_attribute();
  a->set_name(name);
  a->set_type(type);
  return a;
}

}  // namespace

SingleNode::SingleNode(std::string op_type, int opset) : proto_(new Proto) {
  proto_->model.set_ir_version(8);
  proto_->model.add_opset_import()->set_version(opset);
  onnx::GraphProto* g = proto_->model.mutable_graph();
  g->set_name("single_node");
  proto_->node = g->add_node();
  proto_->node->set_op_type(std::move(op_type));
  proto_->node->set_name("under_test");
}

SingleNode::~SingleNode() { delete proto_; }

SingleNode& SingleNode::input(const nn::Tensor& value) {
  const std::string name = "in" + std::to_string(proto_->next_input++);
  proto_->node->add_input(name);
  onnx::ValueInfoProto* vi = proto_->model.mutable_graph()->add_input();
  vi->set_name(name);
  auto* tt = vi->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(nn::onnx_import::dtype_to_onnx(value.dtype()));
  for (int64_t d : value.shape()) tt->mutable_shape()->add_dim()->set_dim_value(d);
  feeds_[name] = value;
  return *this;
}

SingleNode& SingleNode::constant(const nn::Tensor& value) {
  const std::string name = "const" + std::to_string(proto_->next_input++);
  proto_->node->add_input(name);
  *proto_->model.mutable_graph()->add_initializer() = to_proto(value, name);
  return *this;
}

SingleNode& SingleNode::absent() {
  proto_->node->add_input("");
  ++proto_->next_input;
  return *this;
}

SingleNode& SingleNode::attr(const std::string& name, int64_t v) {
  new_attr(proto_->node, name, onnx::AttributeProto::INT)->set_i(v);
  return *this;
}

SingleNode& SingleNode::attr(const std::string& name, float v) {
  new_attr(proto_->node, name, onnx::AttributeProto::FLOAT)->set_f(v);
  return *this;
}

SingleNode& SingleNode::attr(const std::string& name, const std::string& v) {
  new_attr(proto_->node, name, onnx::AttributeProto::STRING)->set_s(v);
  return *this;
}

SingleNode& SingleNode::attr(const std::string& name, const std::vector<int64_t>& v) {
  auto* a = new_attr(proto_->node, name, onnx::AttributeProto::INTS);
  for (int64_t x : v) a->add_ints(x);
  return *this;
}

SingleNode& SingleNode::attr(const std::string& name, const std::vector<float>& v) {
  auto* a = new_attr(proto_->node, name, onnx::AttributeProto::FLOATS);
  for (float x : v) a->add_floats(x);
  return *this;
}

SingleNode& SingleNode::outputs(std::vector<nn::DType> types) {
  outputs_ = std::move(types);
  return *this;
}

std::vector<nn::Tensor> SingleNode::run() {
  onnx::GraphProto* g = proto_->model.mutable_graph();
  std::vector<std::string> names;
  for (size_t i = 0; i < outputs_.size(); ++i) {
    names.push_back("out" + std::to_string(i));
    proto_->node->add_output(names.back());
    onnx::ValueInfoProto* vi = g->add_output();
    vi->set_name(names.back());
    vi->mutable_type()->mutable_tensor_type()->set_elem_type(nn::onnx_import::dtype_to_onnx(outputs_[i]));
  }
  std::string bytes;
  proto_->model.SerializeToString(&bytes);
  auto model = nn::Model::load_from_memory(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()), "single_node");
  nn::Session session(model);
  nn::NamedTensors out = session.run(feeds_);
  std::vector<nn::Tensor> result;
  for (const std::string& n : names) result.push_back(out.at(n));
  return result;
}

nn::Tensor floats(const std::vector<float>& v, const nn::Shape& shape) {
  return nn::Tensor::from_vector(v, shape);
}
nn::Tensor ints(const std::vector<int64_t>& v, const nn::Shape& shape) {
  return nn::Tensor::from_vector(v, shape);
}

std::vector<float> values(const nn::Tensor& t) {
  const nn::Tensor f = t.to(nn::DType::f32);
  return {f.data<float>(), f.data<float>() + f.numel()};
}

}  // namespace neuropipe::test
