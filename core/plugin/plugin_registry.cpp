// PluginRegistry: which plugins exist (discovered or added), their checked
// parameters, and node instances made from them.
#include <algorithm>

#include <spdlog/spdlog.h>

#include "neuropipe/error.hpp"
#include "neuropipe/plugin/host.hpp"
#include "plugin/host_services.hpp"
#include "plugin/loaded_node.hpp"
#include "plugin/param_validation.hpp"
#include "plugin/plugin_library.hpp"
#include "plugin/search_path.hpp"

namespace neuropipe::plugin {

struct PluginRegistry::Entry {
  std::shared_ptr<const PluginLibrary> library;
};

PluginRegistry::PluginRegistry() : services_(std::make_shared<HostServices>()) {}
PluginRegistry::~PluginRegistry() = default;
PluginRegistry::PluginRegistry(PluginRegistry&&) noexcept = default;
PluginRegistry& PluginRegistry::operator=(PluginRegistry&&) noexcept = default;

PluginRegistry PluginRegistry::discover(const std::vector<std::filesystem::path>& extra_dirs) {
  PluginRegistry registry;
  for (const auto& dir : plugin_search_path(extra_dirs))
    for (const auto& so : plugin_libraries_in(dir)) {
      try {
        registry.add_library(so);
      } catch (const Error& e) {
        // One bad library must not hide the good ones: report it and go on.
        registry.problems_.push_back(e.what());
        spdlog::warn("{}", e.what());
      }
    }
  return registry;
}

// A second library with a name already registered loses (the search order
// puts a user's folders first, so they can replace a built-in plugin).
void PluginRegistry::add_library(const std::filesystem::path& so) {
  auto library = std::make_shared<const PluginLibrary>(so);
  if (const PluginInfo* existing = find(library->info().name))
    throw Error("plugin '" + library->info().name + "' in " + so.string() + " is ignored: a plugin of that name " +
                "was already loaded from " + existing->library.string());
  entries_.push_back(std::make_shared<Entry>(Entry{std::move(library)}));
}

std::vector<PluginInfo> PluginRegistry::list() const {
  std::vector<PluginInfo> infos;
  for (const auto& e : entries_) infos.push_back(e->library->info());
  std::sort(infos.begin(), infos.end(), [](const PluginInfo& a, const PluginInfo& b) { return a.name < b.name; });
  return infos;
}

const PluginInfo* PluginRegistry::find(const std::string& name) const {
  for (const auto& e : entries_)
    if (e->library->info().name == name) return &e->library->info();
  return nullptr;
}

std::shared_ptr<const PluginLibrary> PluginRegistry::library(const std::string& plugin) const {
  for (const auto& e : entries_)
    if (e->library->info().name == plugin) return e->library;
  std::string known;
  for (const auto& info : list()) known += (known.empty() ? "" : ", ") + info.name;
  throw Error("unknown plugin '" + plugin + "' (known: " + (known.empty() ? "none found" : known) + ")");
}

nlohmann::json PluginRegistry::validate_params(const std::string& plugin, const std::string& node_name,
                                               const nlohmann::json& params) const {
  return plugin::validate_params(library(plugin)->info(), node_name, params);
}

std::unique_ptr<NodeInstance> PluginRegistry::create(const std::string& plugin, const std::string& node_name,
                                                     const nlohmann::json& params) const {
  auto lib = library(plugin);
  return std::make_unique<LoadedNode>(lib, node_name, plugin::validate_params(lib->info(), node_name, params),
                                      services_);
}

void PluginRegistry::set_model_store(std::shared_ptr<models::ModelStore> store) {
  services_->set_models(std::move(store));
}

}  // namespace neuropipe::plugin
