#pragma once
// The engine's graph IR: values (SSA, one producer each) and nodes in
// execution (topological) order. Import builds it, passes rewrite it, the
// planner annotates it (kernels, liveness) and then it is frozen and shared
// by every Session of the Model.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "nn/attributes.hpp"
#include "nn/kernel.hpp"

namespace neuropipe::nn {

inline constexpr int kNoValue = -1;  // an absent optional input/output

struct Value {
  std::string name;
  ValueType type;
  std::optional<Tensor> constant;       // initializer / Constant node / folded: fixed for every run
  std::optional<Tensor> default_value;  // initializer that is also a graph input: the user may override it
  bool from_outer_scope = false;        // a subgraph reading a value of an enclosing graph (by name)
  // One per dim of type.shape when the model names its unknown dims (ONNX
  // dim_param, kept through ONNX's shape inference): two unknown dims with the
  // same non-empty name have the same size at run time. "" = fixed or anonymous.
  std::vector<std::string> dim_names;
};

struct Node {
  std::string name;
  std::string op_type;
  std::string domain;  // "" = ai.onnx
  int opset = 0;       // opset of the node's domain imported by the model
  std::vector<int> inputs;    // value ids or kNoValue
  std::vector<int> outputs;   // value ids or kNoValue
  std::vector<int> captures;  // outer values its subgraphs read (kept alive while the node runs)
  Attributes attributes;
  std::shared_ptr<const Kernel> kernel;  // built by the planner
};

struct Graph {
  std::string name;
  int opset = 0;  // default-domain opset
  std::vector<Value> values;
  std::vector<Node> nodes;
  std::vector<int> inputs;
  std::vector<int> outputs;
  // Filled by the planner: values whose last reader is node i (freed after it runs).
  std::vector<std::vector<int>> release_after;

  int find(const std::string& name) const {
    auto it = index_.find(name);
    return it == index_.end() ? kNoValue : it->second;
  }
  int add_value(const std::string& name) {
    values.push_back(Value{name, {}, {}, {}, false, {}});
    int id = static_cast<int>(values.size()) - 1;
    if (!name.empty()) index_[name] = id;
    return id;
  }
  bool is_output(int value) const {
    for (int o : outputs)
      if (o == value) return true;
    return false;
  }
  bool is_constant(int value) const { return value != kNoValue && values[value].constant.has_value(); }

 private:
  std::map<std::string, int> index_;
};

// "node 'name' (Op)" for error messages.
inline std::string describe(const Node& n) {
  return "node '" + (n.name.empty() ? std::string("<unnamed>") : n.name) + "' (" +
         (n.domain.empty() ? "" : n.domain + "::") + n.op_type + ")";
}

}  // namespace neuropipe::nn
