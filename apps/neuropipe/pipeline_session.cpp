#include "pipeline_session.hpp"

#include <spdlog/spdlog.h>

#include "metrics_server.hpp"
#include "neuropipe/pipeline/prometheus.hpp"
#include "neuropipe/pipeline/validation.hpp"
#include "progress.hpp"

namespace neuropipe::cli {

std::unique_ptr<pipeline::RegistryCatalog> discover_plugins(
    const std::vector<std::filesystem::path>& plugin_path) {
  auto registry = plugin::PluginRegistry::discover(plugin_path);
  for (const auto& problem : registry.problems()) spdlog::warn("plugin not loaded: {}", problem);
  return std::make_unique<pipeline::RegistryCatalog>(std::move(registry));
}

pipeline::RunSummary run_pipeline_file(const PipelineRequest& request, const pipeline::NodeCatalog& catalog,
                                       const InterruptCounter& interrupts) {
  auto spec = pipeline::load_pipeline(request.file, request.variables);
  pipeline::Runner runner(pipeline::validate(std::move(spec), catalog), catalog, request.options);
  for (const auto& info : runner.source_infos())
    if (!info.description.empty()) spdlog::info("reading {}", info.description);
  std::unique_ptr<MetricsServer> metrics;
  if (request.metrics_port) {
    metrics = std::make_unique<MetricsServer>(
        *request.metrics_port, [&runner] { return pipeline::prometheus_text(runner.live_summary()); });
    spdlog::info("metrics: http://127.0.0.1:{}/metrics", metrics->port());
  }
  RunMonitor monitor(runner, interrupts, request.show_progress);
  return runner.run();
}

void apply_assignments(const std::vector<std::string>& assignments, pipeline::VariableOverrides& variables) {
  for (const auto& text : assignments) {
    auto [key, value] = pipeline::parse_assignment(text);
    variables[key] = value;
  }
}

int exit_code(pipeline::Outcome outcome) {
  switch (outcome) {
    case pipeline::Outcome::completed:
      return 0;
    case pipeline::Outcome::failed:
      return 1;
    case pipeline::Outcome::stopped:
    case pipeline::Outcome::aborted:
      return 130;
  }
  return 1;
}

}  // namespace neuropipe::cli
