#include "models/yaml_to_json.hpp"

namespace neuropipe::models {

namespace {

nlohmann::json scalar_to_json(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  if (node.Tag() == "!") return text;  // quoted: the author asked for a string
  if (text == "null" || text == "~") return nullptr;
  if (long long i; YAML::convert<long long>::decode(node, i)) return i;
  if (double d; YAML::convert<double>::decode(node, d)) return d;
  if (bool b; YAML::convert<bool>::decode(node, b)) return b;
  return text;
}

}  // namespace

nlohmann::json yaml_to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return scalar_to_json(node);
    case YAML::NodeType::Sequence: {
      nlohmann::json array = nlohmann::json::array();
      for (const auto& item : node) array.push_back(yaml_to_json(item));
      return array;
    }
    case YAML::NodeType::Map: {
      nlohmann::json object = nlohmann::json::object();
      for (const auto& kv : node) object[kv.first.as<std::string>()] = yaml_to_json(kv.second);
      return object;
    }
    default:
      return nullptr;
  }
}

}  // namespace neuropipe::models
