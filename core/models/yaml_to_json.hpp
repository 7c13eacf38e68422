#pragma once
// Converts a YAML subtree to JSON, so task-specific settings (`extra:` in
// models.yaml) reach plugins as ordinary nlohmann::json.
#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

namespace neuropipe::models {

// Plain scalars become bool/int/float when they read as one; quoted scalars stay strings.
nlohmann::json yaml_to_json(const YAML::Node& node);

}  // namespace neuropipe::models
