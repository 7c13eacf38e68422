#include "nn/onnx/onnx_shape_inference.hpp"

#include <onnx/checker.h>
#include <onnx/defs/schema.h>
#include <onnx/shape_inference/implementation.h>

#include <set>
#include <string>
#include <unordered_map>

namespace neuropipe::nn::onnx_import {

namespace {

// libonnx 1.12's inference trusts what it reads (both found by tests/fuzz):
// it divides by strides/dilations/kernel sizes without checking them
// (SIGFPE), and its Conv/pool inference indexes the input's dims by the
// weight's rank or the attributes' lengths (an out-of-bounds read when they
// disagree). Such a graph skips inference and its kernels report the bad
// attribute or shape at load or at the first run instead.
using DeclaredRanks = std::unordered_map<std::string, int>;

DeclaredRanks declared_ranks(const onnx::GraphProto& g) {
  DeclaredRanks ranks;
  auto add = [&](const onnx::ValueInfoProto& vi) {
    if (vi.type().tensor_type().has_shape()) ranks[vi.name()] = vi.type().tensor_type().shape().dim_size();
  };
  for (const auto& vi : g.input()) add(vi);
  for (const auto& vi : g.value_info()) add(vi);
  for (const auto& t : g.initializer()) ranks[t.name()] = t.dims_size();
  return ranks;
}

// Conv-like and pooling nodes: input 0 (and the weight, when declared) must
// have the same rank, and every spatial attribute must fit that rank.
bool spatial_ranks_agree(const onnx::NodeProto& node, const DeclaredRanks& ranks) {
  static const std::set<std::string> spatial = {"Conv", "ConvTranspose", "ConvInteger", "QLinearConv",
                                                "AveragePool", "MaxPool", "LpPool", "MaxUnpool"};
  if (!spatial.count(node.op_type()) || node.input_size() == 0) return true;
  auto rank_of = [&](int i) {
    if (i >= node.input_size()) return -1;
    auto it = ranks.find(node.input(i));
    return it == ranks.end() ? -1 : it->second;
  };
  const int x = rank_of(0);
  const int w = node.op_type() == "QLinearConv" ? rank_of(3) : node.op_type().rfind("Conv", 0) == 0 ? rank_of(1) : -1;
  if (x >= 0 && w >= 0 && x != w) return false;
  const int known = x >= 0 ? x : w;
  if (known < 0) return true;
  if (known < 3) return false;
  for (const auto& a : node.attribute()) {
    const int spatial_dims = known - 2;
    if ((a.name() == "strides" || a.name() == "dilations" || a.name() == "kernel_shape" ||
         a.name() == "output_padding") && a.ints_size() != spatial_dims)
      return false;
    if (a.name() == "pads" && a.ints_size() != 2 * spatial_dims) return false;
  }
  return true;
}

// ONNX's inference functions assume nodes its checker accepted (required
// attributes present and of the right type, input/output counts in range) and
// dereference what they find, so every node with a schema must verify first.
bool verifies_against_schema(const onnx::NodeProto& node, int opset) {
  const onnx::OpSchema* schema = onnx::OpSchemaRegistry::Schema(node.op_type(), opset, node.domain());
  if (!schema) return true;  // no inference function runs for it either
  try {
    schema->Verify(node);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

// Every input a node reads must already be defined (graph input,
// initializer, an earlier node's output, or the enclosing graph's for a
// subgraph): libonnx looks an unknown name's type up as a null pointer.
bool safe_graph(const onnx::GraphProto& g, int opset, std::set<std::string> defined) {
  for (const auto& vi : g.input()) {
    if (!vi.type().has_tensor_type() || vi.type().tensor_type().elem_type() == 0) return false;  // untyped: a null type
    defined.insert(vi.name());
  }
  for (const auto& t : g.initializer()) defined.insert(t.name());
  const DeclaredRanks ranks = declared_ranks(g);
  for (const auto& node : g.node()) {
    for (const auto& in : node.input())
      if (!in.empty() && !defined.count(in)) return false;
    if (!verifies_against_schema(node, opset) || !spatial_ranks_agree(node, ranks)) return false;
    for (const auto& a : node.attribute()) {
      if (a.name() == "strides" || a.name() == "dilations" || a.name() == "kernel_shape")
        for (int64_t v : a.ints())
          if (v <= 0) return false;
      if (a.has_g() && !safe_graph(a.g(), opset, defined)) return false;
      for (const auto& sub : a.graphs())
        if (!safe_graph(sub, opset, defined)) return false;
    }
    for (const auto& out : node.output()) defined.insert(out);
  }
  return true;
}

// libonnx keeps one opset per domain; a file naming the default domain twice
// leaves its inference reading a version our importer did not choose.
bool one_default_opset(const onnx::ModelProto& proto) {
  int count = 0;
  for (const auto& o : proto.opset_import()) count += o.domain().empty() || o.domain() == "ai.onnx";
  return count == 1;
}

}  // namespace

bool safe_for_shape_inference(const onnx::GraphProto& g, int opset) { return safe_graph(g, opset, {}); }

namespace {

// ONNX's own precondition for its inference: the model passes its checker
// (found by tests/fuzz: graphs past the cheaper checks above still crashed
// libonnx 1.12's inference with null type reads).
bool passes_onnx_checker(const onnx::ModelProto& proto) {
  try {
    onnx::checker::check_model(proto);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

void infer_shapes(onnx::ModelProto& proto, int opset) {
  if (opset > 17 || !one_default_opset(proto) || !safe_for_shape_inference(proto.graph(), opset) ||
      !passes_onnx_checker(proto))
    return;
  try {
    onnx::ShapeInferenceOptions options(false, 0, true);
    onnx::shape_inference::InferShapes(proto, onnx::OpSchemaRegistry::Instance(), options);
  } catch (const std::exception&) {
  }
}

}  // namespace neuropipe::nn::onnx_import
