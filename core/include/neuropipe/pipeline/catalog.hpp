#pragma once
// What the pipeline needs from the plugin system: find a plugin, check a
// node's parameters, create node instances. PluginRegistry provides it for
// real plugin libraries; tests provide in-process nodes through the same face.
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "neuropipe/plugin/host.hpp"

namespace neuropipe::pipeline {

class NodeCatalog {
 public:
  virtual ~NodeCatalog() = default;
  virtual std::vector<std::string> plugin_names() const = 0;
  virtual const plugin::PluginInfo* find(const std::string& plugin) const = 0;
  // Throws neuropipe::Error naming the node and parameter; returns params with defaults.
  virtual nlohmann::json validate_params(const std::string& plugin, const std::string& node,
                                         const nlohmann::json& params) const = 0;
  virtual std::unique_ptr<plugin::NodeInstance> create(const std::string& plugin, const std::string& node,
                                                       const nlohmann::json& params) const = 0;
};

// The catalog of plugin libraries found by PluginRegistry::discover().
class RegistryCatalog final : public NodeCatalog {
 public:
  explicit RegistryCatalog(plugin::PluginRegistry registry) : registry_(std::move(registry)) {}
  std::vector<std::string> plugin_names() const override;
  const plugin::PluginInfo* find(const std::string& plugin) const override { return registry_.find(plugin); }
  nlohmann::json validate_params(const std::string& plugin, const std::string& node,
                                 const nlohmann::json& params) const override {
    return registry_.validate_params(plugin, node, params);
  }
  std::unique_ptr<plugin::NodeInstance> create(const std::string& plugin, const std::string& node,
                                               const nlohmann::json& params) const override {
    return registry_.create(plugin, node, params);
  }
  const plugin::PluginRegistry& registry() const { return registry_; }

 private:
  plugin::PluginRegistry registry_;
};

}  // namespace neuropipe::pipeline
