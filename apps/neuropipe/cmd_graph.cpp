// neuropipe graph FILE: validates a pipeline and shows its graph as text,
// DOT (--dot) and SVG (--svg, through Graphviz's `dot` when installed).
#include <unistd.h>

#include <boost/program_options.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "command.hpp"
#include "file_arguments.hpp"
#include "neuropipe/error.hpp"
#include "neuropipe/pipeline/validation.hpp"
#include "pipeline_session.hpp"

namespace neuropipe::cli {

namespace {

namespace po = boost::program_options;

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out) throw Error("cannot write '" + path + "'");
}

// The first executable `name` on $PATH, or empty.
std::filesystem::path find_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const auto candidate = std::filesystem::path(dir) / name;
    if (!dir.empty() && ::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

// Graphviz renders the DOT text; a missing `dot` is a clear error, not a crash.
void write_svg(const std::string& svg_path, const std::string& dot_text) {
  const auto dot = find_program("dot");
  if (dot.empty())
    throw Error("cannot write '" + svg_path +
                "': Graphviz's `dot` is not installed (apt-get install graphviz); "
                "use --dot FILE and render it elsewhere");
  const std::string dot_file = svg_path + ".dot.tmp";
  write_text(dot_file, dot_text);
  const std::string command = "'" + dot.string() + "' -Tsvg -o '" + svg_path + "' '" + dot_file + "'";
  const int status = std::system(command.c_str());
  std::remove(dot_file.c_str());
  if (status != 0)
    throw Error("`dot` failed to render '" + svg_path + "' (exit status " + std::to_string(status) + ")");
}

int graph_command(const std::vector<std::string>& args) {
  po::options_description options("neuropipe graph FILE [options]");
  options.add_options()("help,h", "show this help")("dot", po::value<std::string>(),
                                                    "write the graph in Graphviz DOT to this file")(
      "svg", po::value<std::string>(), "render the graph to SVG (needs Graphviz's `dot`)")(
      "set,s", po::value<std::vector<std::string>>()->composing(), "KEY=VALUE: sets the variable ${KEY}");
  po::variables_map vm;
  if (auto exit = parse_file_arguments("graph", options, args, vm)) return *exit;
  // Inputs need not exist to draw the graph: unset in/out variables get placeholders.
  pipeline::VariableOverrides vars = {
      {"input", "<input>"}, {"output", "<output>"}, {"metadata", "<output>.jsonl"}};
  if (vm.count("set")) apply_assignments(vm["set"].as<std::vector<std::string>>(), vars);
  auto spec = pipeline::load_pipeline(vm["file"].as<std::string>(), vars);
  for (auto& source : spec.sources)  // drawing needs no readable input
    if (source.spec.uri.find('<') != std::string::npos) source.spec.kind = "stream";
  const auto catalog = discover_plugins(spec.plugin_path);
  const auto validated = pipeline::validate(std::move(spec), *catalog);
  std::cout << validated.graph.to_text();
  const std::string dot_text = validated.graph.to_dot();
  if (vm.count("dot")) write_text(vm["dot"].as<std::string>(), dot_text);
  if (vm.count("svg")) write_svg(vm["svg"].as<std::string>(), dot_text);
  return 0;
}

const CommandRegistrar registrar{
    {"graph", "validate a pipeline file and print its graph (--dot, --svg)", graph_command}};

}  // namespace

}  // namespace neuropipe::cli
