#include "nn/runtime/planner.hpp"

#include <onnx/defs/schema.h>

#include <algorithm>

#include "neuropipe/nn/errors.hpp"

namespace neuropipe::nn {

namespace {

class BuildContext final : public KernelBuildContext {
 public:
  BuildContext(const Graph& g, const Node& n, const std::string& model) : g_(g), n_(n), model_(model) {}
  const std::string& node_name() const override { return n_.name; }
  const std::string& op_type() const override { return n_.op_type; }
  int opset() const override { return g_.opset; }
  const Attributes& attributes() const override { return n_.attributes; }
  size_t num_inputs() const override { return n_.inputs.size(); }
  bool has_input(size_t i) const override { return i < n_.inputs.size() && n_.inputs[i] != kNoValue; }
  const Tensor* constant_input(size_t i) const override {
    if (!has_input(i)) return nullptr;
    const Value& v = g_.values[n_.inputs[i]];
    return v.constant ? &*v.constant : nullptr;
  }
  ValueType input_type(size_t i) const override {
    if (!has_input(i)) fail("input " + std::to_string(i) + " is absent");
    return g_.values[n_.inputs[i]].type;
  }
  size_t num_outputs() const override { return n_.outputs.size(); }
  const Graph* subgraph(const std::string& attr) const override {
    return n_.attributes.has(attr) ? n_.attributes.get_graph(attr).get() : nullptr;
  }
  [[noreturn]] void fail(const std::string& message) const override {
    throw Error(model_ + ": " + describe(n_) + ": " + message);
  }

 private:
  const Graph& g_;
  const Node& n_;
  const std::string& model_;
};

void plan_liveness(Graph& g) {
  std::vector<int> last_reader(g.values.size(), -1);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    for (int v : g.nodes[i].inputs)
      if (v != kNoValue) last_reader[v] = static_cast<int>(i);
    for (int v : g.nodes[i].captures) last_reader[v] = static_cast<int>(i);
    for (int v : g.nodes[i].outputs)  // unread outputs die right after their producer
      if (v != kNoValue && last_reader[v] < 0) last_reader[v] = static_cast<int>(i);
  }
  g.release_after.assign(g.nodes.size(), {});
  for (size_t v = 0; v < g.values.size(); ++v) {
    const Value& value = g.values[v];
    if (last_reader[v] < 0 || value.constant || value.from_outer_scope || g.is_output(static_cast<int>(v))) continue;
    g.release_after[last_reader[v]].push_back(static_cast<int>(v));
  }
}

// Input/output counts and required inputs from ONNX's own op schemas, so no
// kernel ever meets a missing required input (found by tests/fuzz). libonnx
// 1.12 knows opsets up to 17; newer nodes are left to their kernels.
void check_arity(const Node& n, const std::string& model_name) {
  if (!n.domain.empty() || n.opset > 17) return;
  const onnx::OpSchema* schema = onnx::OpSchemaRegistry::Schema(n.op_type, n.opset, "");
  if (!schema) return;
  auto fail = [&](const std::string& why) { throw Error(model_name + ": " + describe(n) + ": " + why); };
  int inputs = static_cast<int>(n.inputs.size()), outputs = static_cast<int>(n.outputs.size());
  // A fused residual Add (passes/fuse_residual_add.cpp) gives a Conv one input beyond its schema.
  if (n.attributes.get_int("_fused_add", 0) != 0) inputs = std::min(inputs, 3);
  if (inputs < schema->min_input() || inputs > schema->max_input())
    fail("has " + std::to_string(inputs) + " inputs, the op takes " + std::to_string(schema->min_input()) + "-" +
         std::to_string(schema->max_input()));
  if (outputs < schema->min_output() || outputs > schema->max_output())
    fail("has " + std::to_string(outputs) + " outputs, the op gives " + std::to_string(schema->min_output()) + "-" +
         std::to_string(schema->max_output()));
  const auto& formal = schema->inputs();
  for (size_t i = 0; i < n.inputs.size() && i < formal.size(); ++i)
    if (n.inputs[i] == kNoValue && formal[i].GetOption() == onnx::OpSchema::Single)
      fail("required input " + std::to_string(i) + " ('" + formal[i].GetName() + "') is missing");
}

// Frees constant inputs (weights) that every reading kernel has copied into its
// own form (packed panels), as soon as the last reader is built, so the model
// never holds more than one extra layer of raw weights at a time. Graph
// outputs and values read by subgraphs (by name) are never freed.
class ConstantReleaser {
 public:
  explicit ConstantReleaser(const Graph& g) : pending_(g.values.size(), 0), owned_(g.values.size(), true) {
    for (const Node& n : g.nodes) {
      for (int v : n.inputs)
        if (v != kNoValue) pending_[v]++;
      for (int v : n.captures) owned_[v] = false;
    }
    for (int v : g.outputs) owned_[v] = false;
  }

  void node_built(Graph& g, const Node& n) {
    for (size_t i = 0; i < n.inputs.size(); ++i) {
      const int v = n.inputs[i];
      if (v == kNoValue || !g.values[v].constant) continue;
      owned_[v] = owned_[v] && n.kernel->owns_constant_input(i);
      if (--pending_[v] == 0 && owned_[v]) g.values[v].constant.reset();
    }
  }

 private:
  std::vector<int> pending_;   // readers whose kernel is not built yet
  std::vector<bool> owned_;    // every reader so far owns its copy
};

}  // namespace

std::shared_ptr<const Kernel> build_kernel(const Graph& graph, const Node& node, const std::string& model_name) {
  const KernelRegistration* reg = find_kernel(node.domain, node.op_type, node.opset);
  if (!reg)
    throw UnsupportedOperator(model_name + ": " + describe(node) + ": no kernel for op '" + node.op_type +
                              "' at opset " + std::to_string(node.opset) +
                              (node.domain.empty() ? "" : " of domain '" + node.domain + "'"));
  check_arity(node, model_name);
  BuildContext ctx(graph, node, model_name);
  try {
    std::unique_ptr<Kernel> kernel = reg->factory(ctx);
    if (!kernel) ctx.fail("kernel factory returned nothing");
    return kernel;
  } catch (const Unsupported&) {
    throw;
  } catch (const Error& e) {
    if (std::string(e.what()).find(describe(node)) != std::string::npos) throw;
    ctx.fail(e.what());
  } catch (const std::exception& e) {
    ctx.fail(e.what());
  }
}

void plan_graph(Graph& graph, const std::string& model_name) {
  ConstantReleaser releaser(graph);
  for (Node& node : graph.nodes) {
    for (const auto& [name, value] : node.attributes.all())
      if (const auto* sub = std::get_if<std::shared_ptr<const Graph>>(&value))
        // The planner is the last writer of a subgraph before the Model freezes it.
        plan_graph(*std::const_pointer_cast<Graph>(*sub), model_name);
    node.kernel = build_kernel(graph, node, model_name);
    releaser.node_built(graph, node);
  }
  plan_liveness(graph);
}

}  // namespace neuropipe::nn
