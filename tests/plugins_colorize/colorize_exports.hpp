#pragma once
// Where tools/export/colorization.py --out puts the seeded exports and the
// PyTorch references: ${NEUROPIPE_CACHE_DIR:-~/.cache/neuropipe}/exports/colorization.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace neuropipe::test {

inline std::filesystem::path colorization_exports() {
  const char* cache = std::getenv("NEUROPIPE_CACHE_DIR");
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const std::filesystem::path root = cache ? std::filesystem::path(cache)
                                     : xdg ? std::filesystem::path(xdg) / "neuropipe"
                                           : std::filesystem::path(std::getenv("HOME")) / ".cache/neuropipe";
  return root / "exports" / "colorization";
}

// A file of the export folder, or a failed test saying how to make it.
inline std::filesystem::path colorization_export(const std::string& name) {
  const auto path = colorization_exports() / name;
  if (!std::filesystem::exists(path))
    FAIL("missing " << path << ": run /usr/bin/python3.11 tools/export/colorization.py --out "
                    << colorization_exports());
  return path;
}

}  // namespace neuropipe::test
