#pragma once
// The pipeline file as data: sources, nodes, sinks, variables and settings,
// each remembering where it was written (for error messages). Produced by
// load_pipeline(); checked by validate(); run by Runner.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "neuropipe/media/sink.hpp"
#include "neuropipe/media/source.hpp"
#include "neuropipe/pipeline/location.hpp"
#include "neuropipe/plugin/host.hpp"

namespace neuropipe::pipeline {

// offline: every frame, readers wait for the pipeline (back-pressure).
// live: bounded latency, the newest frame wins and stale ones are dropped.
enum class ClockMode { offline, live };

struct FailureSettings {
  plugin::FailurePolicy policy = plugin::FailurePolicy::skip_frame;
  int max_failures = 10;  // disable_node: failures before the node is switched off
};

struct SourceDecl {
  media::SourceSpec spec;  // name, kind, uri, options
  ClockMode clock = ClockMode::offline;
  int reconnect_timeout_ms = 30000;  // live: give up after this long without the stream
  Location where;
  Location uri_where;
};

struct NodeDecl {
  std::string name;
  std::string plugin;
  nlohmann::json params = nlohmann::json::object();
  std::vector<std::string> after;     // node or source names; empty = the sources
  std::optional<std::string> source;  // only frames of this source
  int batch_size = 1;                 // >1: process_batch across frames/streams
  int batch_timeout_ms = 20;          // flush a partial batch after this long
  Location where;
  Location plugin_where;
  Location params_where;
  std::map<std::string, Location> param_where;
  std::vector<Location> after_where;  // one per entry of `after`
};

struct SinkDecl {
  media::SinkSpec spec;               // name, kind, uri, options
  std::vector<std::string> after;     // nodes whose results it shows (graph/validation)
  std::optional<std::string> source;  // only frames of this source (default: all)
  Location where;
  std::vector<Location> after_where;
};

struct Settings {
  int max_in_flight = 8;  // frames in flight per source
  FailureSettings default_failure;
  std::map<std::string, FailureSettings> node_failure;
  std::map<std::string, Location> node_failure_where;
  Location max_in_flight_where;
};

struct PipelineSpec {
  std::filesystem::path file;
  std::map<std::string, std::string> variables;  // after --set overrides
  std::vector<std::filesystem::path> plugin_path;
  std::vector<SourceDecl> sources;
  std::vector<NodeDecl> nodes;
  std::vector<SinkDecl> sinks;
  Settings settings;

  const FailureSettings& failure_of(const std::string& node) const {
    auto it = settings.node_failure.find(node);
    return it == settings.node_failure.end() ? settings.default_failure : it->second;
  }
};

}  // namespace neuropipe::pipeline
