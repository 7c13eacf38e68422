#pragma once
// A plugin parameter: its name, type, default, documentation and the checks
// the host applies before the plugin ever sees a value. Plugin authors build
// them with the helpers in neuropipe::plugin::param; the host reads them back
// from the C descriptor into the same type.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "neuropipe/plugin/abi.h"

namespace neuropipe::plugin {

struct ParamSpec {
  std::string name;
  np_param_type type = NP_PARAM_STRING;
  std::optional<nlohmann::json> default_value;  // nullopt: required
  std::string doc;
  std::vector<std::string> choices;
  std::optional<std::pair<double, double>> range;

  // Fluent refinements: param::integer("k", 3, "...").between(1, 99).
  ParamSpec& between(double min_value, double max_value) {
    range = std::pair{min_value, max_value};
    return *this;
  }
  ParamSpec& one_of(std::vector<std::string> allowed) {
    choices = std::move(allowed);
    return *this;
  }
  ParamSpec& required() {
    default_value.reset();
    return *this;
  }
};

// "int", "float", ... as written in `neuropipe plugins info` and error messages.
inline const char* param_type_name(np_param_type type) {
  switch (type) {
    case NP_PARAM_BOOL: return "bool";
    case NP_PARAM_INT: return "int";
    case NP_PARAM_FLOAT: return "float";
    case NP_PARAM_STRING: return "string";
    case NP_PARAM_STRING_LIST: return "string list";
    case NP_PARAM_PATH: return "path";
  }
  return "unknown";
}

namespace param {
inline ParamSpec integer(std::string name, int64_t default_value, std::string doc) {
  return {std::move(name), NP_PARAM_INT, nlohmann::json(default_value), std::move(doc), {}, {}};
}
inline ParamSpec real(std::string name, double default_value, std::string doc) {
  return {std::move(name), NP_PARAM_FLOAT, nlohmann::json(default_value), std::move(doc), {}, {}};
}
inline ParamSpec boolean(std::string name, bool default_value, std::string doc) {
  return {std::move(name), NP_PARAM_BOOL, nlohmann::json(default_value), std::move(doc), {}, {}};
}
inline ParamSpec text(std::string name, std::string default_value, std::string doc) {
  return {std::move(name), NP_PARAM_STRING, nlohmann::json(std::move(default_value)), std::move(doc), {}, {}};
}
inline ParamSpec text_list(std::string name, std::vector<std::string> default_value, std::string doc) {
  return {std::move(name), NP_PARAM_STRING_LIST, nlohmann::json(std::move(default_value)), std::move(doc), {}, {}};
}
inline ParamSpec path(std::string name, std::string default_value, std::string doc) {
  return {std::move(name), NP_PARAM_PATH, nlohmann::json(std::move(default_value)), std::move(doc), {}, {}};
}
}  // namespace param

}  // namespace neuropipe::plugin
