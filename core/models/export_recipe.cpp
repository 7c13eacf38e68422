#include "models/export_recipe.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <deque>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "neuropipe/error.hpp"

extern char** environ;

namespace neuropipe::models {

namespace fs = std::filesystem;

namespace {

// Runs argv with stdout and stderr into `log`; returns the wait status.
int run_logged(std::vector<std::string> argv, const fs::path& log) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  pid_t pid = -1;
  const int spawned = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

// The last `count` lines of a text file, indented for an error message.
std::string tail_of(const fs::path& file, size_t count) {
  std::ifstream in(file);
  std::deque<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
    if (lines.size() > count) lines.pop_front();
  }
  std::string text;
  for (const auto& line : lines) text += "\n    " + line;
  return text;
}

// "No module named 'torch'" -> "torch"; "" when the log has no such line.
std::string missing_module(const fs::path& log) {
  std::ifstream in(log);
  const std::regex pattern("No module named '([A-Za-z0-9_.]+)'");
  std::smatch m;
  for (std::string line; std::getline(in, line);)
    if (std::regex_search(line, m, pattern)) return m[1];
  return "";
}

std::string exit_reason(int status) {
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "signal " + std::to_string(WTERMSIG(status));
  return "wait status " + std::to_string(status);
}

}  // namespace

namespace {
std::string describe(const ModelEntry& entry) {
  return "model '" + entry.name + "' (offline: export; ONNX built by tools/export/" + entry.export_recipe +
         ".py from " + entry.upstream_url + ")";
}
}  // namespace

fs::path check_export_recipe(const StoreConfig& config, const ModelEntry& entry) {
  if (config.recipes_dir.empty())
    throw Error(describe(entry) +
                ": no export recipes folder (tools/export) beside the manifest; set NEUROPIPE_EXPORT_RECIPES");
  const fs::path recipe = config.recipes_dir / (entry.export_recipe + ".py");
  if (!fs::exists(recipe)) throw Error(describe(entry) + ": " + recipe.string() + " does not exist");
  if (config.python.has_parent_path() && !fs::exists(config.python))
    throw Error(describe(entry) + ": needs Python with torch, but " + config.python.string() +
                " does not exist (install python3.11 with python3-torch, python3-torchvision and python3-onnx, "
                "or set NEUROPIPE_PYTHON)");
  return recipe;
}

void run_export_recipe(const StoreConfig& config, const ModelEntry& entry, const fs::path& weights,
                       const fs::path& onnx_out) {
  const fs::path recipe = check_export_recipe(config, entry);
  const std::string what = describe(entry);

  const fs::path log = onnx_out.string() + ".log";
  // -B: no __pycache__ beside the recipes (an installed share/ may be read-only).
  const int status = run_logged({config.python.string(), "-B", recipe.string(), "--model", entry.name, "--weights",
                                 weights.string(), "--onnx", onnx_out.string()},
                                log);
  std::string failure;
  if (status == -1 || (WIFEXITED(status) && WEXITSTATUS(status) == 127))
    failure = "cannot start " + config.python.string() + " (set NEUROPIPE_PYTHON to a Python with torch)";
  else if (const std::string module = missing_module(log); !module.empty() && status != 0)
    failure = config.python.string() + " has no module '" + module +
              "' (Debian: apt install python3-torch python3-torchvision python3-onnx)";
  else if (status != 0)
    failure = recipe.string() + " failed (" + exit_reason(status) + "); its last output:" + tail_of(log, 12);
  else if (!fs::exists(onnx_out) || fs::file_size(onnx_out) == 0)
    failure = recipe.string() + " exited normally but wrote no ONNX to " + onnx_out.string() +
              "; its last output:" + tail_of(log, 12);
  std::error_code ec;
  fs::remove(log, ec);
  if (!failure.empty()) throw Error(what + ": " + failure);
}

}  // namespace neuropipe::models
