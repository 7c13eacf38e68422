#pragma once
// The parameter values a node is created with, already checked by the host
// against the plugin's ParamSpecs (types, ranges, choices, defaults filled in).
//
//   int k = params.get<int>("kernel");
//   auto classes = params.get<std::vector<std::string>>("classes");
#include <filesystem>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "neuropipe/error.hpp"

namespace neuropipe::plugin {

class Params {
 public:
  explicit Params(nlohmann::json values, std::string node_name = {})
      : values_(std::move(values)), node_name_(std::move(node_name)) {}

  bool has(const std::string& name) const { return values_.is_object() && values_.contains(name); }
  const nlohmann::json& json() const { return values_; }

  // T is one of bool, int, int64_t, float, double, std::string,
  // std::filesystem::path, std::vector<std::string>.
  template <class T>
  T get(const std::string& name) const {
    if (!has(name)) fail(name, "was not declared by the plugin or has no value");
    const nlohmann::json& v = values_.at(name);
    if constexpr (std::is_same_v<T, bool>) {
      if (!v.is_boolean()) fail(name, "is not a bool: " + v.dump());
      return v.get<bool>();
    } else if constexpr (std::is_integral_v<T>) {
      if (!v.is_number_integer()) fail(name, "is not an integer: " + v.dump());
      return v.get<T>();
    } else if constexpr (std::is_floating_point_v<T>) {
      if (!v.is_number()) fail(name, "is not a number: " + v.dump());
      return v.get<T>();
    } else if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, std::filesystem::path>) {
      if (!v.is_string()) fail(name, "is not a string: " + v.dump());
      return T(v.get<std::string>());
    } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
      if (!v.is_array()) fail(name, "is not a list of strings: " + v.dump());
      T out;
      for (const auto& item : v) {
        if (!item.is_string()) fail(name, "has a non-string item: " + item.dump());
        out.push_back(item.get<std::string>());
      }
      return out;
    } else {
      static_assert(sizeof(T) == 0, "Params::get<T>: unsupported parameter type");
    }
  }

 private:
  [[noreturn]] void fail(const std::string& name, const std::string& what) const {
    throw Error("node '" + node_name_ + "': parameter '" + name + "' " + what);
  }

  nlohmann::json values_;
  std::string node_name_;
};

}  // namespace neuropipe::plugin
