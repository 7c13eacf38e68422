#pragma once
// Helpers shared by the tests: locating real models and media under
// ../shared, failing loudly (with the path) when one is missing.
#include <filesystem>
#include <string>

namespace neuropipe::test {

// ../shared (or $NEUROPIPE_SHARED_DIR).
std::filesystem::path shared_dir();
// shared_dir()/relative, or a failed test naming the missing path.
std::filesystem::path shared_file(const std::string& relative);
// The repository root and the build tree.
std::filesystem::path source_dir();
std::filesystem::path binary_dir();
// A fresh temporary directory, removed when the object dies.
class TempDir {
 public:
  explicit TempDir(const std::string& tag = "np-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& p) const { return path_ / p; }

 private:
  std::filesystem::path path_;
};

}  // namespace neuropipe::test
