#include "models/export_recipe.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
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

std::string upstream_urls(const ModelEntry& entry) {
  std::vector<std::string> urls;
  for (const auto& u : entry.upstream)
    if (std::find(urls.begin(), urls.end(), u.url) == urls.end()) urls.push_back(u.url);
  std::string text;
  for (const auto& url : urls) text += (text.empty() ? "" : ", ") + url;
  return text;
}

std::string describe(const ModelEntry& entry) {
  return "model '" + entry.name + "' (offline: export; ONNX built by tools/export/" + entry.export_recipe +
         ".py from " + upstream_urls(entry) + ")";
}

bool needs_zip_helper(const ModelEntry& entry) {
  return std::any_of(entry.upstream.begin(), entry.upstream.end(),
                     [](const UpstreamFile& u) { return !u.member.empty(); });
}

// Why a Python run failed ("" when it succeeded), from its wait status and log.
std::string python_failure(const StoreConfig& config, const fs::path& script, int status, const fs::path& log) {
  if (status == -1 || (WIFEXITED(status) && WEXITSTATUS(status) == 127))
    return "cannot start " + config.python.string() + " (set NEUROPIPE_PYTHON to a Python with torch)";
  if (status == 0) return "";
  if (const std::string module = missing_module(log); !module.empty())
    return config.python.string() + " has no module '" + module +
           "' (Debian: apt install python3-torch python3-torchvision python3-onnx)";
  return script.string() + " failed (" + exit_reason(status) + "); its last output:" + tail_of(log, 12);
}

std::string inputs_text(const std::vector<RecipeInput>& inputs) {
  std::string text;
  for (const auto& in : inputs) text += "\n  --" + in.arg + ": " + in.origin;
  return text;
}

}  // namespace

fs::path check_export_recipe(const StoreConfig& config, const ModelEntry& entry) {
  if (config.recipes_dir.empty())
    throw Error(describe(entry) +
                ": no export recipes folder (tools/export) beside the manifest; set NEUROPIPE_EXPORT_RECIPES");
  const fs::path recipe = config.recipes_dir / (entry.export_recipe + ".py");
  if (!fs::exists(recipe)) throw Error(describe(entry) + ": " + recipe.string() + " does not exist");
  if (needs_zip_helper(entry) && !fs::exists(config.recipes_dir / "zip_member.py"))
    throw Error(describe(entry) + ": " + (config.recipes_dir / "zip_member.py").string() +
                " (which opens its upstream zips) does not exist");
  if (config.python.has_parent_path() && !fs::exists(config.python))
    throw Error(describe(entry) + ": needs Python with torch, but " + config.python.string() +
                " does not exist (install python3.11 with python3-torch, python3-torchvision and python3-onnx, "
                "or set NEUROPIPE_PYTHON)");
  return recipe;
}

void extract_zip_member(const StoreConfig& config, const ModelEntry& entry, const fs::path& zip,
                        const std::string& zip_origin, const std::string& member, const fs::path& out) {
  const fs::path helper = config.recipes_dir / "zip_member.py";
  const fs::path log = out.string() + ".log";
  const int status =
      run_logged({config.python.string(), "-B", helper.string(), zip.string(), member, out.string()}, log);
  std::string failure = python_failure(config, helper, status, log);
  if (failure.empty() && !fs::exists(out)) failure = helper.string() + " exited normally but wrote nothing";
  std::error_code ec;
  fs::remove(log, ec);
  if (!failure.empty())
    throw Error(describe(entry) + ": cannot take member '" + member + "' out of " + zip.string() + " (" +
                zip_origin + "): " + failure);
}

void run_export_recipe(const StoreConfig& config, const ModelEntry& entry, const std::vector<RecipeInput>& inputs,
                       const fs::path& onnx_out, const std::vector<std::pair<std::string, fs::path>>& outputs) {
  const fs::path recipe = check_export_recipe(config, entry);
  std::vector<std::string> argv{config.python.string(), "-B", recipe.string(), "--model", entry.name};
  // -B: no __pycache__ beside the recipes (an installed share/ may be read-only).
  argv.insert(argv.end(), entry.export_args.begin(), entry.export_args.end());
  for (const auto& in : inputs) argv.insert(argv.end(), {"--" + in.arg, in.path.string()});
  argv.insert(argv.end(), {"--onnx", onnx_out.string()});
  for (const auto& [key, path] : outputs) argv.insert(argv.end(), {"--output", key + "=" + path.string()});

  const fs::path log = onnx_out.string() + ".log";
  const int status = run_logged(argv, log);
  std::string failure = python_failure(config, recipe, status, log);
  if (failure.empty()) {
    std::vector<fs::path> written{onnx_out};
    for (const auto& output : outputs) written.push_back(output.second);
    for (const auto& file : written)
      if (failure.empty() && (!fs::exists(file) || fs::file_size(file) == 0))
        failure = recipe.string() + " exited normally but did not write " + file.string() +
                  "; its last output:" + tail_of(log, 12);
  }
  std::error_code ec;
  fs::remove(log, ec);
  if (!failure.empty()) throw Error(describe(entry) + ": " + failure + "\n  its inputs:" + inputs_text(inputs));
}

}  // namespace neuropipe::models
