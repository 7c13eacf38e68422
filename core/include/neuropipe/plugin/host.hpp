#pragma once
// The host side of the plugin ABI: discovering plugin libraries, checking
// their ABI, validating parameters and running node instances. The pipeline
// runtime and the CLI use this; plugins never do (they use sdk.hpp).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "neuropipe/frame.hpp"
#include "neuropipe/plugin/abi.h"
#include "neuropipe/plugin/param_spec.hpp"  // ParamSpec

namespace neuropipe::models {
class ModelStore;
}

namespace neuropipe::plugin {

struct PluginInfo {
  std::string name;
  std::string version;
  std::string description;
  std::filesystem::path library;   // the .so it came from
  std::vector<ParamSpec> params;
  std::vector<std::string> reads;  // "kind" or "kind?" (optional)
  std::vector<std::string> writes;
  bool concurrent = false;
  bool ordered = false;
  bool batched = false;
};

// What happens after process() throws.
enum class FailurePolicy { skip_frame, stop_pipeline, disable_node };

// A configured node: one plugin instance. Thread-safety follows the plugin's
// flags; the instance serialises calls itself when the plugin is not concurrent.
class NodeInstance {
 public:
  virtual ~NodeInstance() = default;
  virtual const PluginInfo& info() const = 0;
  virtual const std::string& node_name() const = 0;
  // Throws neuropipe::Error("node 'NAME' (plugin P): message") on failure.
  virtual void process(Frame& frame) = 0;
  virtual void process_batch(std::span<Frame* const> frames) = 0;
  virtual void finish() = 0;
};

class PluginLibrary;  // a dlopen'ed .so (kept alive by every instance made from it)
class HostServices;   // what all nodes of a registry share (model store, model cache)

class PluginRegistry {
 public:
  // Search order: extra_dirs (pipeline file's plugin_path), NEUROPIPE_PLUGIN_PATH
  // (colon-separated), the build tree, the install prefix. A library that
  // fails to load or has the wrong ABI is reported in problems() and skipped.
  static PluginRegistry discover(const std::vector<std::filesystem::path>& extra_dirs = {});

  // Load one library explicitly (tests, `plugins info FILE`); throws on error.
  void add_library(const std::filesystem::path& so);

  std::vector<PluginInfo> list() const;
  const PluginInfo* find(const std::string& name) const;
  const std::vector<std::string>& problems() const { return problems_; }

  // Checks `params` against the plugin's specs (unknown name, wrong type,
  // out of range, not in choices, missing required) and throws an Error that
  // names the node and parameter. Returns params with defaults filled in.
  nlohmann::json validate_params(const std::string& plugin, const std::string& node_name,
                                 const nlohmann::json& params) const;

  std::unique_ptr<NodeInstance> create(const std::string& plugin, const std::string& node_name,
                                       const nlohmann::json& params) const;

  // The store nodes see as Context::models(); by default
  // ModelStore::from_environment(), opened when a node first asks for it.
  void set_model_store(std::shared_ptr<models::ModelStore> store);

  PluginRegistry();
  ~PluginRegistry();
  PluginRegistry(PluginRegistry&&) noexcept;
  PluginRegistry& operator=(PluginRegistry&&) noexcept;

 private:
  struct Entry;
  // The library providing `plugin`, or an Error listing the known plugins.
  std::shared_ptr<const PluginLibrary> library(const std::string& plugin) const;

  std::vector<std::shared_ptr<Entry>> entries_;
  std::vector<std::string> problems_;
  std::shared_ptr<HostServices> services_;
};

}  // namespace neuropipe::plugin
