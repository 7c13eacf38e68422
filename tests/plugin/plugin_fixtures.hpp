#pragma once
// Paths of the fixture plugin libraries built by tests/plugin/CMakeLists.txt.
#include <filesystem>
#include <string>

#include "test_support.hpp"

namespace neuropipe::test {

inline std::filesystem::path fixture_plugin(const std::string& name) {
  auto so = binary_dir() / "tests" / "plugin" / "fixtures" / ("libneuropipe_" + name + ".so");
  if (!std::filesystem::exists(so)) throw std::runtime_error("fixture plugin not built: " + so.string());
  return so;
}

}  // namespace neuropipe::test
