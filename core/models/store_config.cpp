// Where the store looks by default: the environment first, then places found
// relative to libneuropipe itself (so a build tree and an installed prefix
// both work without configuration).
#include <dlfcn.h>

#include <cstdlib>
#include <fstream>

#include "neuropipe/error.hpp"
#include "neuropipe/models/store.hpp"

namespace neuropipe::models {

namespace fs = std::filesystem;

namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// The file this code was loaded from (libneuropipe.so, or an executable that linked it statically).
fs::path this_binary() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&this_binary), &info) == 0 || !info.dli_fname) return {};
  std::error_code ec;
  fs::path p = fs::canonical(info.dli_fname, ec);
  return ec ? fs::path() : p;
}

// A build tree is recognised by its CMakeCache.txt, which names the source tree.
fs::path source_tree_of_build(const fs::path& binary) {
  for (fs::path dir = binary.parent_path(); !dir.empty() && dir != dir.root_path(); dir = dir.parent_path()) {
    std::ifstream cache(dir / "CMakeCache.txt");
    if (!cache) continue;
    const std::string key = "CMAKE_HOME_DIRECTORY:INTERNAL=";
    for (std::string line; std::getline(cache, line);)
      if (line.rfind(key, 0) == 0) return line.substr(key.size());
    return {};
  }
  return {};
}

// Installed: <prefix>/lib[/<multiarch>]/libneuropipe.so -> <prefix>/share/neuropipe.
fs::path installed_assets_of(const fs::path& binary) {
  fs::path dir = binary.parent_path();
  for (int up = 0; up < 3 && !dir.empty(); ++up, dir = dir.parent_path())
    if (fs::exists(dir / "share" / "neuropipe" / "models.yaml")) return dir / "share" / "neuropipe";
  return {};
}

fs::path find_assets_dir() {
  if (auto dir = env("NEUROPIPE_ASSETS_DIR"); !dir.empty()) return dir;
  const fs::path binary = this_binary();
  if (fs::path source = source_tree_of_build(binary);
      !source.empty() && fs::exists(source / "assets" / "models.yaml"))
    return source / "assets";
  if (fs::path installed = installed_assets_of(binary); !installed.empty()) return installed;
  throw Error(
      "cannot find the model manifest models.yaml: not in a build tree's source assets/ nor under the "
      "install prefix of " +
      binary.string() + "; set NEUROPIPE_ASSETS_DIR to the folder holding it");
}

fs::path find_cache_dir() {
  if (auto dir = env("NEUROPIPE_CACHE_DIR"); !dir.empty()) return dir;
  if (auto xdg = env("XDG_CACHE_HOME"); !xdg.empty()) return fs::path(xdg) / "neuropipe";
  if (auto home = env("HOME"); !home.empty()) return fs::path(home) / ".cache" / "neuropipe";
  throw Error("no model cache folder: set NEUROPIPE_CACHE_DIR (or XDG_CACHE_HOME or HOME)");
}

// The checkout holds assets/; its sibling ../shared/models is the team's mirror.
std::optional<fs::path> find_mirror_dir(const fs::path& assets_dir) {
  if (auto dir = env("NEUROPIPE_MODEL_MIRROR"); !dir.empty()) return fs::path(dir);
  fs::path assets = fs::absolute(assets_dir).lexically_normal();
  if (assets.filename().empty()) assets = assets.parent_path();  // "assets/" -> "assets"
  const fs::path beside_checkout = assets.parent_path().parent_path() / "shared" / "models";
  if (fs::is_directory(beside_checkout)) return beside_checkout.lexically_normal();
  return std::nullopt;
}

// Installed: <prefix>/share/neuropipe/tools/export beside models.yaml; in a
// checkout: tools/export beside assets/.
fs::path find_recipes_dir(const fs::path& assets_dir) {
  if (auto dir = env("NEUROPIPE_EXPORT_RECIPES"); !dir.empty()) return dir;
  for (const fs::path& candidate : {assets_dir / "tools" / "export", assets_dir / ".." / "tools" / "export"})
    if (fs::is_directory(candidate)) return candidate.lexically_normal();
  return {};
}

}  // namespace

StoreConfig StoreConfig::from_environment() {
  StoreConfig config;
  config.assets_dir = find_assets_dir();
  config.manifest = config.assets_dir / "models.yaml";
  config.cache_dir = find_cache_dir();
  config.mirror_dir = find_mirror_dir(config.assets_dir);
  config.recipes_dir = find_recipes_dir(config.assets_dir);
  if (auto python = env("NEUROPIPE_PYTHON"); !python.empty()) config.python = python;
  return config;
}

ModelStore ModelStore::from_environment() { return ModelStore(StoreConfig::from_environment()); }

}  // namespace neuropipe::models
