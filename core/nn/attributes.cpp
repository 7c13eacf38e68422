// Typed attribute getters: a wrong-typed attribute is a model error naming the
// attribute, not a std::bad_variant_access.
#include "nn/attributes.hpp"

#include "neuropipe/error.hpp"

namespace neuropipe::nn {

namespace {
template <class T>
const T* typed(const std::map<std::string, AttributeValue>& values, const std::string& name,
               const char* expected) {
  auto it = values.find(name);
  if (it == values.end()) return nullptr;
  if (const T* v = std::get_if<T>(&it->second)) return v;
  throw Error("attribute '" + name + "' is not of type " + expected);
}
}  // namespace

int64_t Attributes::get_int(const std::string& name, int64_t def) const {
  const int64_t* v = typed<int64_t>(values_, name, "int");
  return v ? *v : def;
}

float Attributes::get_float(const std::string& name, float def) const {
  auto it = values_.find(name);
  if (it != values_.end())
    if (const int64_t* i = std::get_if<int64_t>(&it->second)) return static_cast<float>(*i);
  const float* v = typed<float>(values_, name, "float");
  return v ? *v : def;
}

std::string Attributes::get_string(const std::string& name, const std::string& def) const {
  const std::string* v = typed<std::string>(values_, name, "string");
  return v ? *v : def;
}

std::vector<int64_t> Attributes::get_ints(const std::string& name, std::vector<int64_t> def) const {
  const auto* v = typed<std::vector<int64_t>>(values_, name, "ints");
  return v ? *v : def;
}

std::vector<float> Attributes::get_floats(const std::string& name, std::vector<float> def) const {
  const auto* v = typed<std::vector<float>>(values_, name, "floats");
  return v ? *v : def;
}

std::vector<std::string> Attributes::get_strings(const std::string& name) const {
  const auto* v = typed<std::vector<std::string>>(values_, name, "strings");
  return v ? *v : std::vector<std::string>{};
}

const Tensor* Attributes::get_tensor(const std::string& name) const {
  return typed<Tensor>(values_, name, "tensor");
}

std::shared_ptr<const Graph> Attributes::get_graph(const std::string& name) const {
  const auto* v = typed<std::shared_ptr<const Graph>>(values_, name, "graph");
  return v ? *v : nullptr;
}

int64_t Attributes::require_int(const std::string& name) const {
  const int64_t* v = typed<int64_t>(values_, name, "int");
  if (!v) throw Error("required attribute '" + name + "' is missing");
  return *v;
}

std::vector<int64_t> Attributes::require_ints(const std::string& name) const {
  const auto* v = typed<std::vector<int64_t>>(values_, name, "ints");
  if (!v) throw Error("required attribute '" + name + "' is missing");
  return *v;
}

}  // namespace neuropipe::nn
