#include "plugin/search_path.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>

// Both are relative to the directory holding libneuropipe.so; CMake computes
// them (cmake/NeuroPipePackage.cmake), so no absolute build path is compiled in.
#if !defined(NEUROPIPE_PLUGIN_DIR_FROM_BUILD_LIB) || !defined(NEUROPIPE_PLUGIN_DIR_FROM_INSTALLED_LIB)
#error "cmake/NeuroPipePackage.cmake defines the plugin folders relative to libneuropipe"
#endif

namespace neuropipe::plugin {

namespace fs = std::filesystem;

namespace {

fs::path this_library_dir() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<const void*>(&plugin_search_path), &info) == 0 || !info.dli_fname) return {};
  std::error_code ec;
  fs::path lib = fs::canonical(info.dli_fname, ec);
  return ec ? fs::path() : lib.parent_path();
}

std::vector<fs::path> environment_dirs() {
  std::vector<fs::path> dirs;
  const char* env = std::getenv("NEUROPIPE_PLUGIN_PATH");
  if (!env) return dirs;
  std::stringstream in(env);
  for (std::string dir; std::getline(in, dir, ':');)
    if (!dir.empty()) dirs.emplace_back(dir);
  return dirs;
}

}  // namespace

std::vector<fs::path> plugin_search_path(const std::vector<fs::path>& extra_dirs) {
  std::vector<fs::path> candidates = extra_dirs;
  for (auto& dir : environment_dirs()) candidates.push_back(std::move(dir));
  if (fs::path lib_dir = this_library_dir(); !lib_dir.empty()) {
    candidates.push_back(lib_dir / NEUROPIPE_PLUGIN_DIR_FROM_BUILD_LIB);
    candidates.push_back(lib_dir / NEUROPIPE_PLUGIN_DIR_FROM_INSTALLED_LIB);
  }
  // Existing directories only, each once (the environment often repeats one).
  std::vector<fs::path> dirs;
  for (const auto& dir : candidates) {
    std::error_code ec;
    fs::path canonical = fs::canonical(dir, ec);
    if (ec || !fs::is_directory(canonical)) continue;
    if (std::find(dirs.begin(), dirs.end(), canonical) == dirs.end()) dirs.push_back(canonical);
  }
  return dirs;
}

std::vector<fs::path> plugin_libraries_in(const fs::path& dir) {
  std::vector<fs::path> libraries;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("libneuropipe_") && name.ends_with(".so")) libraries.push_back(entry.path());
  }
  std::sort(libraries.begin(), libraries.end());
  return libraries;
}

}  // namespace neuropipe::plugin
