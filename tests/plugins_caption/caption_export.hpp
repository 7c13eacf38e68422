#pragma once
// The seeded Show and Tell export that tools/export/caption.py writes (tools/test.sh
// runs it) into ${NEUROPIPE_CACHE_DIR:-~/.cache/neuropipe}/exports/caption: the
// files, the parameters that point the plugin at them, the PyTorch reference.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace neuropipe::test {

inline std::filesystem::path caption_export_dir() {
  const char* cache = std::getenv("NEUROPIPE_CACHE_DIR");
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const std::filesystem::path root = cache ? std::filesystem::path(cache)
                                     : xdg ? std::filesystem::path(xdg) / "neuropipe"
                                           : std::filesystem::path(std::getenv("HOME")) / ".cache/neuropipe";
  return root / "exports" / "caption";
}

inline std::filesystem::path caption_export_file(const std::string& name) {
  const auto path = caption_export_dir() / name;
  if (!std::filesystem::exists(path))
    FAIL("missing " << path << ": run tools/export/caption.py --out " << caption_export_dir());
  return path;
}

inline nlohmann::json caption_reference() {
  std::ifstream in(caption_export_file("caption_reference.json"));
  return nlohmann::json::parse(in);
}

}  // namespace neuropipe::test
