#pragma once
// Typed access to YAML nodes that reports "file:line:column: ..." on every
// mistake, and `${variable}` substitution in scalars. Used by the loader only.
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "neuropipe/pipeline/location.hpp"

namespace neuropipe::pipeline::detail {

class YamlReader {
 public:
  YamlReader(std::string file, std::map<std::string, std::string> variables)
      : file_(std::move(file)), variables_(std::move(variables)) {}

  Location where(const YAML::Node& node) const;
  [[noreturn]] void fail(const YAML::Node& node, const std::string& message,
                         const std::string& hint = "") const;

  // Each throws Error at the node's location when the value has the wrong shape.
  std::string string(const YAML::Node& node, const std::string& field) const;
  int integer(const YAML::Node& node, const std::string& field, int min_value, int max_value) const;
  std::vector<std::string> string_list(const YAML::Node& node, const std::string& field) const;
  std::map<std::string, std::string> string_map(const YAML::Node& node, const std::string& field) const;
  nlohmann::json json(const YAML::Node& node) const;
  void require_map(const YAML::Node& node, const std::string& what) const;
  void require_sequence(const YAML::Node& node, const std::string& what) const;
  // Fails on a key not in `known`, suggesting the closest known key.
  void check_keys(const YAML::Node& map, const std::set<std::string>& known, const std::string& what) const;

  // "${name}" -> its value (which may itself use variables); fails naming the
  // unknown variable.
  std::string substitute(const std::string& text, const YAML::Node& at, int depth = 0) const;

 private:
  std::string file_;
  std::map<std::string, std::string> variables_;
};

}  // namespace neuropipe::pipeline::detail
