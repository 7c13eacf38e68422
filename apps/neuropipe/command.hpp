#pragma once
// Subcommands of the `neuropipe` CLI register themselves here; each lives in
// its own cmd_<name>.cpp. A command gets the arguments after its name and
// returns the process exit code.
#include <functional>
#include <string>
#include <vector>

namespace neuropipe::cli {

struct Command {
  std::string name;
  std::string summary;   // one line for `neuropipe --help`
  std::function<int(const std::vector<std::string>& args)> run;
};

void register_command(Command c);
const std::vector<Command>& commands();

struct CommandRegistrar {
  explicit CommandRegistrar(Command c) { register_command(std::move(c)); }
};

}  // namespace neuropipe::cli
