#pragma once
// Runs a shell command for the CLI and out-of-tree tests, capturing its
// combined output so a failure shows what the command printed.
#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

#include "test_support.hpp"

namespace neuropipe::test {

struct CommandResult {
  int status = -1;
  std::string output;
};

inline CommandResult run_command(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return result;
  std::array<char, 4096> buffer{};
  while (size_t n = fread(buffer.data(), 1, buffer.size(), pipe)) result.output.append(buffer.data(), n);
  const int status = pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

inline std::string quoted(const std::string& s) { return "'" + s + "'"; }

// This build tree's `neuropipe ARGS` as a user runs it: only this build's
// plugins (no NEUROPIPE_PLUGIN_PATH) and, when `cache` is given, that model
// cache (NEUROPIPE_CACHE_DIR). `env`: more VAR=VALUE words (quoted by the caller).
inline CommandResult neuropipe_cli(const std::string& args, const std::filesystem::path& cache = {},
                                   const std::string& env = {}) {
  const std::string cache_env = cache.empty() ? "" : " NEUROPIPE_CACHE_DIR=" + quoted(cache.string());
  return run_command("env -u NEUROPIPE_PLUGIN_PATH" + cache_env + (env.empty() ? "" : " " + env) + " " +
                     quoted((binary_dir() / "apps" / "neuropipe").string()) + " " + args);
}

}  // namespace neuropipe::test
