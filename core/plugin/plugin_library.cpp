#include "plugin/plugin_library.hpp"

#include <dlfcn.h>

#include <sstream>

#include "neuropipe/error.hpp"

namespace neuropipe::plugin {

namespace {

std::string text(const char* s) { return s ? s : ""; }

std::vector<std::string> string_array(const char* const* items, size_t count) {
  std::vector<std::string> out;
  for (size_t i = 0; i < count; ++i) out.push_back(text(items[i]));
  return out;
}

std::vector<std::string> split_choices(const char* joined) {
  std::vector<std::string> out;
  if (!joined) return out;
  std::stringstream in(joined);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

bool known_type(int type) { return type >= NP_PARAM_BOOL && type <= NP_PARAM_PATH; }

ParamSpec read_param(const np_param_desc& d, const std::string& where) {
  if (!d.name || !*d.name) throw Error(where + ": a parameter has no name");
  if (!known_type(d.type))
    throw Error(where + ": parameter '" + d.name + "' has unknown type " + std::to_string(d.type));
  ParamSpec spec{d.name, static_cast<np_param_type>(d.type), std::nullopt, text(d.doc), split_choices(d.choices),
                 std::nullopt};
  if (d.has_range) spec.range = std::pair{d.min_value, d.max_value};
  if (d.default_json) {
    try {
      spec.default_value = nlohmann::json::parse(d.default_json);
    } catch (const nlohmann::json::exception& e) {
      throw Error(where + ": parameter '" + spec.name + "' has a default that is not JSON (" + d.default_json +
                  "): " + e.what());
    }
  }
  return spec;
}

PluginInfo read_info(const np_plugin_descriptor& d, const std::filesystem::path& so) {
  const std::string where = "plugin library " + so.string();
  if (!d.name || !*d.name) throw Error(where + ": the descriptor has no plugin name");
  if (!d.create || !d.destroy || !d.process)
    throw Error(where + " (plugin " + d.name + "): create, destroy and process must all be set");
  PluginInfo info;
  info.name = d.name;
  info.version = text(d.version);
  info.description = text(d.description);
  info.library = so;
  for (size_t i = 0; i < d.num_params; ++i) info.params.push_back(read_param(d.params[i], where));
  info.reads = string_array(d.reads, d.num_reads);
  info.writes = string_array(d.writes, d.num_writes);
  info.concurrent = (d.flags & NP_FLAG_CONCURRENT) != 0;
  info.ordered = (d.flags & NP_FLAG_ORDERED) != 0;
  info.batched = d.process_batch != nullptr;
  return info;
}

// Only abi_version (the first field) may be read before it is checked: the
// rest of the layout is what that version defines.
void check_abi(const np_plugin_descriptor& d, const std::filesystem::path& so) {
  if (d.abi_version != NEUROPIPE_PLUGIN_ABI_VERSION)
    throw Error("plugin library " + so.string() + " was built for plugin ABI version " +
                std::to_string(d.abi_version) + ", but this NeuroPipe uses ABI version " +
                std::to_string(NEUROPIPE_PLUGIN_ABI_VERSION) + ": rebuild the plugin against this NeuroPipe");
  if (d.struct_size != sizeof(np_plugin_descriptor))
    throw Error("plugin library " + so.string() + " has a descriptor of " + std::to_string(d.struct_size) +
                " bytes, but ABI version " + std::to_string(NEUROPIPE_PLUGIN_ABI_VERSION) + " defines " +
                std::to_string(sizeof(np_plugin_descriptor)) + ": rebuild the plugin against this NeuroPipe");
}

}  // namespace

PluginLibrary::PluginLibrary(const std::filesystem::path& so) {
  handle_ = dlopen(so.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle_) throw Error("cannot load plugin library " + so.string() + ": " + text(dlerror()));
  try {
    dlerror();
    auto entry = reinterpret_cast<np_plugin_entry_fn>(dlsym(handle_, NEUROPIPE_PLUGIN_ENTRY_SYMBOL));
    if (!entry)
      throw Error("plugin library " + so.string() + " does not export " NEUROPIPE_PLUGIN_ENTRY_SYMBOL
                  " (is NEUROPIPE_PLUGIN(...) missing?)");
    descriptor_ = entry();
    if (!descriptor_)
      throw Error("plugin library " + so.string() + ": " NEUROPIPE_PLUGIN_ENTRY_SYMBOL
                  "() returned no descriptor (its description threw)");
    check_abi(*descriptor_, so);
    info_ = read_info(*descriptor_, so);
  } catch (...) {
    dlclose(handle_);
    throw;
  }
}

PluginLibrary::~PluginLibrary() { dlclose(handle_); }

}  // namespace neuropipe::plugin
