#include "exports.hpp"

#include <cstdlib>

#include <catch2/catch.hpp>

namespace neuropipe::test {

namespace fs = std::filesystem;

fs::path exports_dir() {
  const char* cache = std::getenv("NEUROPIPE_CACHE_DIR");
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const char* home = std::getenv("HOME");
  const fs::path root = cache ? fs::path(cache)
                        : xdg ? fs::path(xdg) / "neuropipe"
                              : fs::path(home ? home : "/tmp") / ".cache" / "neuropipe";
  return root / "exports";
}

fs::path export_file(const std::string& relative, const std::string& how_to_make) {
  fs::path p = exports_dir() / relative;
  if (!fs::exists(p)) FAIL("missing " << p.string() << ": run " << how_to_make);
  return p;
}

}  // namespace neuropipe::test
