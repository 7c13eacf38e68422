// neuropipe run FILE: runs one pipeline file on the inputs it names (or the
// ones given with --input), with a progress display and a summary table.
#include <boost/program_options.hpp>
#include <iostream>

#include "command.hpp"
#include "file_arguments.hpp"
#include "neuropipe/error.hpp"
#include "pipeline_session.hpp"

namespace neuropipe::cli {

namespace {

namespace po = boost::program_options;

po::options_description run_options() {
  po::options_description options("neuropipe run FILE [options]");
  options.add_options()("help,h", "show this help")(
      "input,i", po::value<std::string>(), "sets ${input}: a video, image, folder, list or stream URL")(
      "output,o", po::value<std::string>(), "sets ${output}")(
      "metadata,m", po::value<std::string>(),
      "sets ${metadata}, the JSON-lines file (default: OUTPUT.jsonl)")(
      "set,s", po::value<std::vector<std::string>>()->composing(), "KEY=VALUE: sets the variable ${KEY}")(
      "mode", po::value<std::string>(), "offline|live: overrides every source's clock")(
      "trace", po::value<std::string>(), "writes a Chrome/Perfetto trace of every node call to this file")(
      "max-in-flight", po::value<int>(), "frames in flight per source (overrides settings.max_in_flight)")(
      "metrics", po::value<int>(),
      "PORT: serve Prometheus metrics on http://127.0.0.1:PORT/metrics while running (0: any free port)")(
      "quiet,q", "no progress display");
  return options;
}

pipeline::ClockMode parse_mode(const std::string& mode) {
  if (mode == "offline") return pipeline::ClockMode::offline;
  if (mode == "live") return pipeline::ClockMode::live;
  throw Error("--mode must be 'offline' or 'live', got '" + mode + "'");
}

PipelineRequest request_from(const po::variables_map& vm) {
  PipelineRequest request;
  request.file = vm["file"].as<std::string>();
  auto& vars = request.variables;
  if (vm.count("input")) vars["input"] = vm["input"].as<std::string>();
  if (vm.count("output")) vars["output"] = vm["output"].as<std::string>();
  if (vm.count("output")) vars["metadata"] = vm["output"].as<std::string>() + ".jsonl";
  if (vm.count("metadata")) vars["metadata"] = vm["metadata"].as<std::string>();
  if (vm.count("set")) apply_assignments(vm["set"].as<std::vector<std::string>>(), vars);
  if (vm.count("mode")) request.options.clock = parse_mode(vm["mode"].as<std::string>());
  if (vm.count("trace")) request.options.trace_file = vm["trace"].as<std::string>();
  if (vm.count("max-in-flight")) {
    const int n = vm["max-in-flight"].as<int>();
    if (n < 1) throw Error("--max-in-flight must be at least 1, got " + std::to_string(n));
    request.options.max_in_flight = n;
  }
  if (vm.count("metrics")) request.metrics_port = vm["metrics"].as<int>();
  request.show_progress = !vm.count("quiet");
  return request;
}

int run_command(const std::vector<std::string>& args) {
  const auto options = run_options();
  po::variables_map vm;
  if (auto exit = parse_file_arguments("run", options, args, vm)) return *exit;
  const PipelineRequest request = request_from(vm);
  const auto spec = pipeline::load_pipeline(request.file, request.variables);
  const auto catalog = discover_plugins(spec.plugin_path);
  const InterruptCounter interrupts;
  const auto summary = run_pipeline_file(request, *catalog, interrupts);
  std::cout << summary.table();
  return exit_code(summary.outcome);
}

const CommandRegistrar registrar{{"run", "run a pipeline file (progress, summary, --trace)", run_command}};

}  // namespace

}  // namespace neuropipe::cli
