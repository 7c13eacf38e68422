#pragma once
// Loading, validating and running one pipeline file: shared by `run` and
// `batch`, which differ only in where inputs and outputs come from.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "interrupt.hpp"
#include "neuropipe/pipeline/catalog.hpp"
#include "neuropipe/pipeline/loader.hpp"
#include "neuropipe/pipeline/runner.hpp"

namespace neuropipe::cli {

struct PipelineRequest {
  std::filesystem::path file;
  pipeline::VariableOverrides variables;
  pipeline::RunOptions options;
  bool show_progress = true;
  std::optional<int> metrics_port;  // serve Prometheus text on 127.0.0.1 while running (0: any port)
};

// The plugins a pipeline file can use: its plugin_path, NEUROPIPE_PLUGIN_PATH,
// the build tree and the install prefix. Libraries that failed to load are
// logged as warnings.
std::unique_ptr<pipeline::RegistryCatalog> discover_plugins(
    const std::vector<std::filesystem::path>& plugin_path);

// Throws pipeline::ValidationError for configuration errors and
// neuropipe::Error when a source, sink or node cannot be opened.
pipeline::RunSummary run_pipeline_file(const PipelineRequest& request, const pipeline::NodeCatalog& catalog,
                                       const InterruptCounter& interrupts);

// --set KEY=VALUE entries on top of `variables`.
void apply_assignments(const std::vector<std::string>& assignments, pipeline::VariableOverrides& variables);

// completed: 0, failed: 1, interrupted (stopped or aborted): 130 like a shell.
int exit_code(pipeline::Outcome outcome);

}  // namespace neuropipe::cli
