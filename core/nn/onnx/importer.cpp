#include "nn/onnx/importer.hpp"

#include <onnx/defs/schema.h>

#include <deque>
#include <set>

#include "nn/onnx/onnx_shape_inference.hpp"
#include "nn/onnx/tensor_proto.hpp"

namespace neuropipe::nn::onnx_import {

namespace {

struct ModelContext {
  std::string model_name;
  std::filesystem::path base_dir;
  LoadOptions options;
  std::map<std::string, int> opsets;  // domain ("" = ai.onnx) -> version
  int ir_version = 0;

  TensorSource source(const std::string& what) const {
    return TensorSource{base_dir, options.max_tensor_bytes, model_name + ": " + what};
  }
};

// The engine computes fp16 models in fp32: f16 constants are widened at load.
Tensor to_engine_dtype(Tensor t) { return t.dtype() == DType::f16 ? t.to(DType::f32) : t; }
ValueType to_engine_type(ValueType t) {
  if (t.dtype == DType::f16) t.dtype = DType::f32;
  return t;
}
std::string normalise_domain(const std::string& d) { return d == "ai.onnx" ? std::string() : d; }

class GraphImporter {
 public:
  GraphImporter(const ModelContext& model, GraphImporter* parent) : model_(model), parent_(parent) {}

  std::shared_ptr<Graph> import(const onnx::GraphProto& gp) {
    graph_ = std::make_shared<Graph>();
    graph_->name = gp.name();
    graph_->opset = model_.opsets.at("");
    declare_inputs_and_initializers(gp);
    declare_node_outputs(gp);
    collect_types(gp);
    std::vector<Node> nodes;
    for (int i = 0; i < gp.node_size(); ++i)
      if (gp.node(i).op_type() != "Constant" || !normalise_domain(gp.node(i).domain()).empty())
        nodes.push_back(import_node(gp.node(i), i));
    graph_->nodes = topological_order(std::move(nodes));
    for (const auto& out : gp.output()) {
      int id = resolve(out.name());
      if (id == kNoValue) throw Error(where("graph output '" + out.name() + "' is not produced by any node"));
      graph_->outputs.push_back(id);
    }
    return graph_;
  }

  // Used by subgraphs: the id of `name` here, capturing it from further out if needed.
  int resolve(const std::string& name) {
    if (int id = graph_->find(name); id != kNoValue) return id;
    if (!parent_) return kNoValue;
    int outer = parent_->resolve(name);
    if (outer == kNoValue) return kNoValue;
    int id = graph_->add_value(name);
    const Value& ov = parent_->graph_->values[outer];
    graph_->values[id].type = ov.type;
    graph_->values[id].dim_names = ov.dim_names;
    graph_->values[id].constant = ov.constant;  // outer constants become local constants
    graph_->values[id].from_outer_scope = !ov.constant;
    if (!ov.constant) captured_.push_back(name);
    return id;
  }

  const std::vector<std::string>& captured() const { return captured_; }

 private:
  std::string where(const std::string& msg) const {
    return model_.model_name + ": " + (parent_ ? "subgraph '" + graph_->name + "': " : "") + msg;
  }

  void declare_inputs_and_initializers(const onnx::GraphProto& gp) {
    std::set<std::string> input_names;
    for (const auto& in : gp.input()) input_names.insert(in.name());
    for (const auto& init : gp.initializer()) {
      if (init.name().empty()) throw Error(where("an initializer has no name"));
      if (graph_->find(init.name()) != kNoValue) throw Error(where("initializer '" + init.name() + "' is defined twice"));
      Tensor t = to_engine_dtype(tensor_from_proto(init, model_.source("initializer '" + init.name() + "'")));
      int id = graph_->add_value(init.name());
      graph_->values[id].type = ValueType{t.dtype(), t.shape()};
      // IR < 4 lists every weight as an input too; those are plain constants.
      bool overridable = input_names.count(init.name()) && model_.ir_version >= 4;
      (overridable ? graph_->values[id].default_value : graph_->values[id].constant) = std::move(t);
    }
    for (const auto& in : gp.input()) {
      if (in.name().empty()) throw Error(where("a graph input has no name"));
      int id = graph_->find(in.name());
      if (id != kNoValue && graph_->values[id].constant) continue;  // IR<4 weight
      if (id == kNoValue) id = graph_->add_value(in.name());
      else if (!graph_->values[id].default_value) throw Error(where("graph input '" + in.name() + "' is declared twice"));
      if (in.has_type()) set_type(id, in.type(), where("graph input '" + in.name() + "'"));
      graph_->inputs.push_back(id);
    }
  }

  void declare_node_outputs(const onnx::GraphProto& gp) {
    for (int i = 0; i < gp.node_size(); ++i) {
      const auto& np = gp.node(i);
      for (const auto& out : np.output()) {
        if (out.empty()) continue;
        if (graph_->find(out) != kNoValue)
          throw Error(where(node_label(np, i) + ": output '" + out + "' is already produced elsewhere"));
        graph_->add_value(out);
      }
      if (np.op_type() == "Constant" && normalise_domain(np.domain()).empty()) import_constant_node(np, i);
    }
  }

  // The type and the names of its symbolic dims (the passes compare them).
  void set_type(int id, const onnx::TypeProto& type, const std::string& what) {
    std::vector<std::string> dim_names;
    graph_->values[id].type = to_engine_type(value_type_from_proto(type, what, &dim_names));
    graph_->values[id].dim_names = std::move(dim_names);
  }

  // value_info / outputs carry the static types shape inference found.
  void collect_types(const onnx::GraphProto& gp) {
    auto take = [&](const onnx::ValueInfoProto& vi) {
      int id = graph_->find(vi.name());
      if (id == kNoValue || graph_->values[id].constant || !vi.has_type() || !vi.type().has_tensor_type()) return;
      try {
        set_type(id, vi.type(), vi.name());
      } catch (const Unsupported&) {
        // An intermediate of a type we do not model: its producing kernel decides at run time.
      }
    };
    for (const auto& vi : gp.value_info()) take(vi);
    for (const auto& vi : gp.output()) take(vi);
  }

  static std::string node_label(const onnx::NodeProto& np, int index) {
    return "node '" + (np.name().empty() ? "#" + std::to_string(index) : np.name()) + "' (" + np.op_type() + ")";
  }

  void import_constant_node(const onnx::NodeProto& np, int index) {
    std::string label = node_label(np, index);
    if (np.output_size() != 1 || np.attribute_size() != 1)
      throw Error(where(label + ": a Constant needs exactly one output and one value attribute"));
    const auto& a = np.attribute(0);
    Tensor t;
    const std::string& n = a.name();
    if (n == "value") t = tensor_from_proto(a.t(), model_.source(label + " attribute 'value'"));
    else if (n == "value_float") t = Tensor::from_vector<float>({a.f()}, {});
    else if (n == "value_floats") t = Tensor::from_vector(std::vector<float>(a.floats().begin(), a.floats().end()), {a.floats_size()});
    else if (n == "value_int") t = Tensor::from_vector<int64_t>({a.i()}, {});
    else if (n == "value_ints") t = Tensor::from_vector(std::vector<int64_t>(a.ints().begin(), a.ints().end()), {a.ints_size()});
    else if (n == "value_string") {
      t = Tensor::empty(DType::string, {});
      (*t.strings)[0] = a.s();
    } else if (n == "value_strings") {
      t = Tensor::empty(DType::string, {a.strings_size()});
      for (int i = 0; i < a.strings_size(); ++i) (*t.strings)[i] = a.strings(i);
    } else if (n == "sparse_value") {
      throw Unsupported(where(label + ": sparse_value constants are not supported"));
    } else {
      throw Error(where(label + ": unknown Constant attribute '" + n + "'"));
    }
    t = to_engine_dtype(std::move(t));
    Value& v = graph_->values[graph_->find(np.output(0))];
    v.type = ValueType{t.dtype(), t.shape()};
    v.constant = std::move(t);
  }

  Node import_node(const onnx::NodeProto& np, int index) {
    Node node;
    node.name = np.name().empty() ? np.op_type() + "_" + std::to_string(index) : np.name();
    node.op_type = np.op_type();
    node.domain = normalise_domain(np.domain());
    auto opset = model_.opsets.find(node.domain);
    node.opset = opset == model_.opsets.end() ? 0 : opset->second;
    for (const auto& in : np.input()) {
      if (in.empty()) {
        node.inputs.push_back(kNoValue);
        continue;
      }
      int id = resolve(in);
      if (id == kNoValue)
        throw Error(where(describe(node) + ": input '" + in + "' is not produced by any node, graph input or initializer"));
      node.inputs.push_back(id);
    }
    check_arity(np, node);
    for (const auto& out : np.output()) node.outputs.push_back(out.empty() ? kNoValue : graph_->find(out));
    for (const auto& a : np.attribute()) import_attribute(a, node);
    widen_fp16_type_attributes(node);
    return node;
  }

  // Kernels dereference the inputs ONNX's schema marks required, and later
  // stages index the outputs a kernel made by the node's output list, so an
  // absent required input ("" or cut short) or more outputs than the op has
  // are load errors here, not null or out-of-bounds reads (both found by
  // tests/fuzz). Ops libonnx has no schema for check their own.
  void check_arity(const onnx::NodeProto& np, const Node& node) const {
    const onnx::OpSchema* schema = onnx::OpSchemaRegistry::Schema(np.op_type(), node.opset, np.domain());
    if (!schema) return;
    if (np.output_size() > schema->max_output())
      throw Error(where(describe(node) + ": has " + std::to_string(np.output_size()) + " outputs, " + np.op_type() +
                        " produces at most " + std::to_string(schema->max_output())));
    const auto& formals = schema->inputs();
    for (size_t i = 0; i < formals.size(); ++i)
      if (formals[i].GetOption() == onnx::OpSchema::Single && (i >= node.inputs.size() || node.inputs[i] == kNoValue))
        throw Error(where(describe(node) + ": required input " + std::to_string(i) + " ('" + formals[i].GetName() +
                          "') is missing"));
  }

  // Casts/generators asking for float16 produce float32 instead: the engine computes fp16 in fp32.
  static void widen_fp16_type_attributes(Node& node) {
    for (const char* attr : {"to", "dtype"})
      if (node.attributes.has(attr) && std::holds_alternative<int64_t>(node.attributes.all().at(attr)) &&
          node.attributes.get_int(attr, 0) == onnx::TensorProto::FLOAT16)
        node.attributes.set(attr, int64_t{onnx::TensorProto::FLOAT});
  }

  void import_attribute(const onnx::AttributeProto& a, Node& node) {
    std::string what = describe(node) + " attribute '" + a.name() + "'";
    using A = onnx::AttributeProto;
    int type = a.type();
    if (type == A::UNDEFINED) type = guess_attribute_type(a);
    switch (type) {
      case A::FLOAT: return node.attributes.set(a.name(), a.f());
      case A::INT: return node.attributes.set(a.name(), a.i());
      case A::STRING: return node.attributes.set(a.name(), a.s());
      case A::TENSOR: return node.attributes.set(a.name(), to_engine_dtype(tensor_from_proto(a.t(), model_.source(what))));
      case A::FLOATS: return node.attributes.set(a.name(), std::vector<float>(a.floats().begin(), a.floats().end()));
      case A::INTS: return node.attributes.set(a.name(), std::vector<int64_t>(a.ints().begin(), a.ints().end()));
      case A::STRINGS:
        return node.attributes.set(a.name(), std::vector<std::string>(a.strings().begin(), a.strings().end()));
      case A::GRAPH: return node.attributes.set(a.name(), import_subgraph(a.g(), node));
      default: throw Unsupported(where(what + ": attribute type " + std::to_string(a.type()) + " is not supported"));
    }
  }

  static int guess_attribute_type(const onnx::AttributeProto& a) {
    using A = onnx::AttributeProto;
    if (a.has_f()) return A::FLOAT;
    if (a.has_i()) return A::INT;
    if (a.has_s()) return A::STRING;
    if (a.has_t()) return A::TENSOR;
    if (a.has_g()) return A::GRAPH;
    if (a.floats_size()) return A::FLOATS;
    if (a.ints_size()) return A::INTS;
    if (a.strings_size()) return A::STRINGS;
    return A::UNDEFINED;
  }

  std::shared_ptr<const Graph> import_subgraph(const onnx::GraphProto& gp, Node& owner) {
    GraphImporter sub(model_, this);
    std::shared_ptr<Graph> g = sub.import(gp);
    for (const auto& name : sub.captured()) {
      int id = resolve(name);
      if (std::find(owner.captures.begin(), owner.captures.end(), id) == owner.captures.end())
        owner.captures.push_back(id);
    }
    return g;
  }

  // Kahn's algorithm, stable: ONNX files are usually sorted already, but the
  // spec's order is not something every exporter honours.
  std::vector<Node> topological_order(std::vector<Node> nodes) {
    std::map<int, size_t> producer;
    for (size_t i = 0; i < nodes.size(); ++i)
      for (int o : nodes[i].outputs)
        if (o != kNoValue) producer[o] = i;
    std::vector<std::vector<size_t>> consumers(nodes.size());
    std::vector<int> pending(nodes.size(), 0);
    for (size_t i = 0; i < nodes.size(); ++i) {
      std::set<size_t> deps;
      for (const auto* ids : {&nodes[i].inputs, &nodes[i].captures})
        for (int v : *ids)
          if (auto it = producer.find(v); it != producer.end()) deps.insert(it->second);
      for (size_t d : deps) consumers[d].push_back(i);
      pending[i] = static_cast<int>(deps.size());
    }
    std::deque<size_t> ready;
    for (size_t i = 0; i < nodes.size(); ++i)
      if (pending[i] == 0) ready.push_back(i);
    std::vector<Node> sorted;
    sorted.reserve(nodes.size());
    while (!ready.empty()) {
      size_t i = ready.front();
      ready.pop_front();
      for (size_t c : consumers[i])
        if (--pending[c] == 0) ready.push_back(c);
      sorted.push_back(std::move(nodes[i]));
    }
    if (sorted.size() != nodes.size()) {
      for (size_t i = 0; i < nodes.size(); ++i)
        if (pending[i] > 0) throw Error(where(describe(nodes[i]) + " is part of a cycle"));
    }
    return sorted;
  }

  const ModelContext& model_;
  GraphImporter* parent_;
  std::shared_ptr<Graph> graph_;
  std::vector<std::string> captured_;
};

void read_opsets(const onnx::ModelProto& proto, ModelContext& ctx) {
  if (proto.ir_version() < kMinIrVersion || proto.ir_version() > kMaxIrVersion)
    throw Unsupported(ctx.model_name + ": IR version " + std::to_string(proto.ir_version()) +
                      " is not supported (supported: " + std::to_string(kMinIrVersion) + "-" +
                      std::to_string(kMaxIrVersion) + ")");
  ctx.ir_version = static_cast<int>(proto.ir_version());
  for (const auto& op : proto.opset_import()) ctx.opsets[normalise_domain(op.domain())] = static_cast<int>(op.version());
  auto it = ctx.opsets.find("");
  if (it == ctx.opsets.end())  // e.g. only ai.onnx.preview.training: valid ONNX, not ours
    throw Unsupported(ctx.model_name + ": the model imports no default-domain (ai.onnx) opset");
  if (it->second < kMinOpset || it->second > kMaxOpset)
    throw Unsupported(ctx.model_name + ": opset " + std::to_string(it->second) + " is not supported (supported: " +
                      std::to_string(kMinOpset) + "-" + std::to_string(kMaxOpset) + ")");
}

TensorInfo tensor_info(const onnx::ValueInfoProto& vi, const std::string& what) {
  TensorInfo info;
  info.name = vi.name();
  if (!vi.has_type()) return info;  // untyped (allowed in old files): f32, rank unknown
  if (vi.type().tensor_type().elem_type() == onnx::TensorProto::BFLOAT16)
    throw Unsupported(what + ": bfloat16 graph inputs/outputs are not supported (bfloat16 weights are)");
  ValueType t = value_type_from_proto(vi.type(), what, &info.dim_names);
  info.dtype = t.dtype;
  if (t.shape) info.shape = *t.shape;
  if (info.dim_names.size() != info.shape.size()) info.dim_names.assign(info.shape.size(), "");
  return info;
}

}  // namespace

ImportedModel import_model(onnx::ModelProto& proto, const std::string& model_name,
                           const std::filesystem::path& base_dir, const LoadOptions& options) {
  ModelContext ctx{model_name, base_dir, options, {}, 0};
  read_opsets(proto, ctx);
  infer_shapes(proto, ctx.opsets.at(""));
  ImportedModel m;
  m.opset = ctx.opsets.at("");
  GraphImporter importer(ctx, nullptr);
  m.graph = importer.import(proto.graph());
  for (const auto& in : proto.graph().input()) {
    int id = m.graph->find(in.name());
    if (m.graph->values[id].constant) continue;
    m.inputs.push_back(tensor_info(in, model_name + ": graph input '" + in.name() + "'"));
  }
  for (const auto& out : proto.graph().output())
    m.outputs.push_back(tensor_info(out, model_name + ": graph output '" + out.name() + "'"));
  return m;
}

}  // namespace neuropipe::nn::onnx_import
