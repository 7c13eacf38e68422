#pragma once
// Where plugin libraries are looked for, in order (first wins on a name clash):
//   1. the directories a pipeline file names (plugin_path)
//   2. $NEUROPIPE_PLUGIN_PATH, colon-separated
//   3. the build tree's plugin folder, when libneuropipe runs from a build tree
//   4. <libdir>/neuropipe/plugins beside the installed libneuropipe
// 3 and 4 are found relative to libneuropipe.so's own location (dladdr), so
// a build tree or an install prefix can be moved and still finds its plugins.
#include <filesystem>
#include <vector>

namespace neuropipe::plugin {

std::vector<std::filesystem::path> plugin_search_path(const std::vector<std::filesystem::path>& extra_dirs);

// The plugin libraries in one directory: libneuropipe_*.so, sorted by name.
std::vector<std::filesystem::path> plugin_libraries_in(const std::filesystem::path& dir);

}  // namespace neuropipe::plugin
