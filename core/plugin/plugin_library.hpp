#pragma once
// One plugin shared library, opened with dlopen(RTLD_NOW | RTLD_LOCAL) and
// checked before anything in it runs: the entry symbol exists, the descriptor
// speaks our ABI version and has our struct size, its description is sound.
// Closed when the last node made from it is gone.
#include <filesystem>

#include "neuropipe/plugin/host.hpp"

namespace neuropipe::plugin {

class PluginLibrary {
 public:
  // Throws Error naming the file and what is wrong with it.
  explicit PluginLibrary(const std::filesystem::path& so);
  ~PluginLibrary();
  PluginLibrary(const PluginLibrary&) = delete;
  PluginLibrary& operator=(const PluginLibrary&) = delete;

  const PluginInfo& info() const { return info_; }
  const np_plugin_descriptor& descriptor() const { return *descriptor_; }

 private:
  void* handle_ = nullptr;
  const np_plugin_descriptor* descriptor_ = nullptr;
  PluginInfo info_;
};

}  // namespace neuropipe::plugin
