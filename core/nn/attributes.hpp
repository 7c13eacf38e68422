#pragma once
// Node attributes, decoded from ONNX AttributeProto at import. Getters take a
// default; `require_*` throw naming the attribute when it is missing.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "neuropipe/nn/tensor.hpp"

namespace neuropipe::nn {

struct Graph;

using AttributeValue = std::variant<int64_t, float, std::string, Tensor, std::vector<int64_t>,
                                    std::vector<float>, std::vector<std::string>,
                                    std::shared_ptr<const Graph>>;

class Attributes {
 public:
  bool has(const std::string& name) const { return values_.count(name) != 0; }
  void set(const std::string& name, AttributeValue v) { values_[name] = std::move(v); }
  const std::map<std::string, AttributeValue>& all() const { return values_; }

  int64_t get_int(const std::string& name, int64_t def) const;
  float get_float(const std::string& name, float def) const;
  std::string get_string(const std::string& name, const std::string& def) const;
  std::vector<int64_t> get_ints(const std::string& name, std::vector<int64_t> def = {}) const;
  std::vector<float> get_floats(const std::string& name, std::vector<float> def = {}) const;
  std::vector<std::string> get_strings(const std::string& name) const;
  const Tensor* get_tensor(const std::string& name) const;
  std::shared_ptr<const Graph> get_graph(const std::string& name) const;

  int64_t require_int(const std::string& name) const;
  std::vector<int64_t> require_ints(const std::string& name) const;

 private:
  std::map<std::string, AttributeValue> values_;
};

}  // namespace neuropipe::nn
