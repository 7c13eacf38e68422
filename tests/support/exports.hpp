#pragma once
// Where tools/export/ writes the seeded exports and their PyTorch references
// that the parity and plugin tests compare against.
#include <filesystem>
#include <string>

namespace neuropipe::test {

// $NEUROPIPE_CACHE_DIR, else $XDG_CACHE_HOME/neuropipe, else ~/.cache/neuropipe; then exports/.
std::filesystem::path exports_dir();
// exports_dir()/relative, or a failed test naming the path and the command that makes it.
std::filesystem::path export_file(const std::string& relative, const std::string& how_to_make);

}  // namespace neuropipe::test
