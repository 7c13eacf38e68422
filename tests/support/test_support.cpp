#include "test_support.hpp"

#include <cstdlib>
#include <random>

#include <catch2/catch.hpp>

namespace neuropipe::test {

namespace fs = std::filesystem;

fs::path shared_dir() {
  if (const char* env = std::getenv("NEUROPIPE_SHARED_DIR"); env && *env) return env;
#ifdef NEUROPIPE_SHARED_DIR
  return NEUROPIPE_SHARED_DIR;
#else
  return fs::path("..") / "shared";
#endif
}

fs::path shared_file(const std::string& relative) {
  fs::path p = shared_dir() / relative;
  if (!fs::exists(p)) FAIL("missing test data: " << p.string() << " (set NEUROPIPE_SHARED_DIR to the shared/ folder)");
  return p;
}

fs::path source_dir() {
#ifdef NEUROPIPE_SOURCE_DIR
  return NEUROPIPE_SOURCE_DIR;
#else
  return fs::current_path();
#endif
}

fs::path binary_dir() {
#ifdef NEUROPIPE_BINARY_DIR
  return NEUROPIPE_BINARY_DIR;
#else
  return fs::current_path();
#endif
}

TempDir::TempDir(const std::string& tag) {
  std::random_device rd;
  for (int attempt = 0; attempt < 100; ++attempt) {
    path_ = fs::temp_directory_path() / (tag + "-" + std::to_string(rd()));
    if (fs::create_directories(path_)) return;
  }
  FAIL("cannot create a temporary directory under " << fs::temp_directory_path());
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

}  // namespace neuropipe::test
