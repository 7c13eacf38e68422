#pragma once
// Runs a shell command for the CLI and out-of-tree tests, capturing its
// combined output so a failure shows what the command printed.
#include <array>
#include <cstdio>
#include <string>

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

}  // namespace neuropipe::test
