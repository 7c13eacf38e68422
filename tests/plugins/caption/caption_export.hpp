#pragma once
// The seeded Show and Tell export that tools/export/caption.py writes (tools/test.sh
// runs it) into ${NEUROPIPE_CACHE_DIR:-~/.cache/neuropipe}/exports/caption: the
// files, the parameters that point the plugin at them, the PyTorch reference.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "exports.hpp"

namespace neuropipe::test {

inline std::filesystem::path caption_export_dir() { return exports_dir() / "caption"; }

inline std::filesystem::path caption_export_file(const std::string& name) {
  return export_file("caption/" + name, "tools/export/caption.py --out " + caption_export_dir().string());
}

inline nlohmann::json caption_reference() {
  std::ifstream in(caption_export_file("caption_reference.json"));
  return nlohmann::json::parse(in);
}

}  // namespace neuropipe::test
