#pragma once
// A throw-away model store: its own assets/ (manifest), cache and mirror
// folders under one temporary directory.
#include <filesystem>
#include <string>

#include "neuropipe/models/store.hpp"
#include "test_support.hpp"

namespace neuropipe::test {

struct StoreFixture {
  TempDir root{"np-models"};
  std::filesystem::path assets = root / "assets";
  std::filesystem::path cache = root / "cache";
  std::filesystem::path mirror = root / "mirror";

  StoreFixture();
  void write_manifest(const std::string& yaml) const;
  models::ModelStore store(bool with_mirror = true) const;
  // Every regular file under the cache, temporaries included.
  std::vector<std::filesystem::path> cache_files() const;
};

void write_file(const std::filesystem::path& path, const std::string& bytes);
std::string read_file(const std::filesystem::path& path);

// One manifest entry `name` for file "demo/<name>.bin" with the given hash and url.
std::string entry_yaml(const std::string& name, const std::string& sha256, const std::string& url = "");

// Known bytes and their sha256 (computed independently with Python's hashlib).
inline const std::string kGoodBytes = "real model bytes\n";
inline const std::string kGoodSha = "dc7f5f5d1f66a5eb48f8478212ab3bb85f2594062c3a36065cbac9672cd773c0";
inline const std::string kBadBytes = "tampered bytes\n";
inline const std::string kBadSha = "ef350dfee9133c1f380419ddf838ed53ecdbac2065791bc1cf74b054887efc5c";

}  // namespace neuropipe::test
