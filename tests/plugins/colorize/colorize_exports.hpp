#pragma once
// Where tools/export/colorization.py --out puts the seeded exports and the
// PyTorch references: ${NEUROPIPE_CACHE_DIR:-~/.cache/neuropipe}/exports/colorization.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "exports.hpp"

namespace neuropipe::test {

inline std::filesystem::path colorization_exports() { return exports_dir() / "colorization"; }

// A file of the export folder, or a failed test saying how to make it.
inline std::filesystem::path colorization_export(const std::string& name) {
  return export_file("colorization/" + name,
                     "/usr/bin/python3.11 tools/export/colorization.py --out " + colorization_exports().string());
}

}  // namespace neuropipe::test
