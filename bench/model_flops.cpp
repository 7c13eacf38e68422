#include "model_flops.hpp"

#include <fstream>

#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include "neuropipe/error.hpp"

namespace neuropipe::bench {

namespace {

using Dims = std::vector<int64_t>;
using ShapeMap = std::map<std::string, Dims>;

// Shape of a value, or empty when any dim is unknown.
Dims known_dims(const onnx::TypeProto& type) {
  if (!type.has_tensor_type() || !type.tensor_type().has_shape()) return {};
  Dims dims;
  for (const auto& d : type.tensor_type().shape().dim()) {
    if (!d.has_dim_value()) return {};
    dims.push_back(d.dim_value());
  }
  return dims;
}

void collect_shapes(const onnx::GraphProto& g, ShapeMap& shapes) {
  auto add = [&](const onnx::ValueInfoProto& v) {
    if (auto d = known_dims(v.type()); !d.empty()) shapes[v.name()] = d;
  };
  for (const auto& v : g.input()) add(v);
  for (const auto& v : g.output()) add(v);
  for (const auto& v : g.value_info()) add(v);
  for (const auto& t : g.initializer()) shapes[t.name()] = Dims(t.dims().begin(), t.dims().end());
}

double product(const Dims& d, size_t from = 0, size_t to = SIZE_MAX) {
  double p = 1;
  for (size_t i = from; i < d.size() && i < to; ++i) p *= static_cast<double>(d[i]);
  return p;
}

// FLOPs of one node, or -1 when its shapes are unknown.
double node_flops(const onnx::NodeProto& n, const ShapeMap& s) {
  auto shape = [&](int i, bool output) -> const Dims* {
    const auto& names = output ? n.output() : n.input();
    if (i >= names.size()) return nullptr;
    auto it = s.find(names[i]);
    return it == s.end() ? nullptr : &it->second;
  };
  const std::string& op = n.op_type();
  if (op == "Conv") {  // 2 * out elements * (Cin/group * kernel)
    auto *w = shape(1, false), *y = shape(0, true);
    if (!w || !y) return -1;
    return 2.0 * product(*y) * product(*w, 1);
  }
  if (op == "ConvTranspose") {  // 2 * in elements * (Cout/group * kernel)
    auto *x = shape(0, false), *w = shape(1, false);
    if (!x || !w) return -1;
    return 2.0 * product(*x) * product(*w, 1);
  }
  if (op == "Gemm") {
    auto *y = shape(0, true), *a = shape(0, false);
    if (!y || !a || a->size() != 2) return -1;
    bool trans_a = false;
    for (const auto& at : n.attribute())
      if (at.name() == "transA") trans_a = at.i() != 0;
    return 2.0 * product(*y) * static_cast<double>(trans_a ? (*a)[0] : (*a)[1]);
  }
  if (op == "MatMul") {
    auto *y = shape(0, true), *a = shape(0, false);
    if (!y || !a || a->empty()) return -1;
    return 2.0 * product(*y) * static_cast<double>(a->back());
  }
  if (op == "LSTM" || op == "GRU") {  // gates x (input + recurrent) matmuls per step
    auto *x = shape(0, false), *w = shape(1, false), *r = shape(2, false);
    if (!x || !w || !r || x->size() != 3) return -1;
    double steps_batch = static_cast<double>((*x)[0] * (*x)[1]);
    return 2.0 * steps_batch * (product(*w) + product(*r));
  }
  return 0;
}

}  // namespace

FlopCount count_flops(const std::string& model_path, const std::map<std::string, Dims>& input_shapes) {
  onnx::ModelProto model;
  std::ifstream in(model_path, std::ios::binary);
  if (!in || !model.ParseFromIstream(&in)) throw Error("cannot parse ONNX model " + model_path);
  // Pin the benchmarked input shapes so inference resolves every dim.
  for (auto& v : *model.mutable_graph()->mutable_input()) {
    auto it = input_shapes.find(v.name());
    if (it == input_shapes.end()) continue;
    auto* shape = v.mutable_type()->mutable_tensor_type()->mutable_shape();
    shape->clear_dim();
    for (int64_t d : it->second) shape->add_dim()->set_dim_value(d);
  }
  try {
    onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(),
                                       onnx::ShapeInferenceOptions(false, 0, true));
  } catch (const std::exception&) {
    // Partial shapes are still useful: count what was resolved.
  }
  ShapeMap shapes;
  collect_shapes(model.graph(), shapes);
  FlopCount count;
  for (const auto& n : model.graph().node()) {
    double f = node_flops(n, shapes);
    if (f < 0) {
      ++count.uncounted_nodes;
      continue;
    }
    if (f > 0) count.by_op[n.op_type()] += f;
    count.total += f;
  }
  return count;
}

}  // namespace neuropipe::bench
