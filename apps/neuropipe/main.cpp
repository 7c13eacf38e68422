// neuropipe: the command-line entry point. Dispatches to the registered
// subcommands and turns every error into a message and a non-zero exit code.
#include <cstdio>
#include <exception>
#include <iostream>

#include "command.hpp"
#include "neuropipe/version.hpp"

namespace neuropipe::cli {

namespace {
std::vector<Command>& command_table() {
  static std::vector<Command> table;
  return table;
}
}  // namespace

void register_command(Command c) { command_table().push_back(std::move(c)); }
const std::vector<Command>& commands() { return command_table(); }

}  // namespace neuropipe::cli

namespace {
void print_usage() {
  std::cout << "neuropipe " << NEUROPIPE_VERSION_STRING
            << " - neural video pipelines\n\nUsage: neuropipe COMMAND [ARGS...]\n\nCommands:\n";
  for (const auto& c : neuropipe::cli::commands())
    std::cout << "  " << c.name << std::string(c.name.size() < 10 ? 10 - c.name.size() : 1, ' ') << c.summary
              << "\n";
  std::cout << "\nRun `neuropipe COMMAND --help` for a command's options.\n";
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
    print_usage();
    return argc < 2 ? 2 : 0;
  }
  if (std::string(argv[1]) == "--version") {
    std::cout << NEUROPIPE_VERSION_STRING << "\n";
    return 0;
  }
  std::vector<std::string> args(argv + 2, argv + argc);
  for (const auto& c : neuropipe::cli::commands()) {
    if (c.name != argv[1]) continue;
    try {
      return c.run(args);
    } catch (const std::exception& e) {
      std::cerr << "neuropipe " << c.name << ": error: " << e.what() << "\n";
      return 1;
    }
  }
  std::cerr << "neuropipe: unknown command '" << argv[1] << "'\n";
  print_usage();
  return 2;
}
