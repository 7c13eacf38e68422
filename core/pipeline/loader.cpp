#include "neuropipe/pipeline/loader.hpp"

#include <fstream>
#include <sstream>

#include "neuropipe/error.hpp"
#include "neuropipe/pipeline/validation.hpp"
#include "pipeline/yaml_reader.hpp"

namespace neuropipe::pipeline {

namespace {

using detail::YamlReader;

ClockMode parse_clock(const YamlReader& r, const YAML::Node& node) {
  const std::string text = r.string(node, "clock");
  if (text == "offline") return ClockMode::offline;
  if (text == "live") return ClockMode::live;
  r.fail(node, "clock must be 'offline' or 'live', got '" + text + "'",
         "offline processes every frame; live keeps latency bounded by dropping stale frames");
}

plugin::FailurePolicy parse_policy(const YamlReader& r, const YAML::Node& node) {
  const std::string text = r.string(node, "policy");
  if (text == "skip_frame") return plugin::FailurePolicy::skip_frame;
  if (text == "stop_pipeline") return plugin::FailurePolicy::stop_pipeline;
  if (text == "disable_node") return plugin::FailurePolicy::disable_node;
  r.fail(node, "unknown failure policy '" + text + "'", "use skip_frame, stop_pipeline or disable_node");
}

SourceDecl parse_source(const YamlReader& r, const YAML::Node& node, int index) {
  r.require_map(node, "sources[" + std::to_string(index) + "]");
  r.check_keys(node, {"name", "uri", "kind", "clock", "options", "reconnect_timeout_ms"}, "a source");
  SourceDecl s;
  s.where = r.where(node);
  s.spec.stream_id = index;
  s.spec.name = node["name"] ? r.string(node["name"], "name")
                             : (index == 0 ? "input" : "input" + std::to_string(index));
  if (!node["uri"]) r.fail(node, "source '" + s.spec.name + "' has no 'uri'", "add uri: ${input}");
  s.spec.uri = r.string(node["uri"], "uri");
  s.uri_where = r.where(node["uri"]);
  if (node["kind"]) s.spec.kind = r.string(node["kind"], "kind");
  if (node["clock"]) s.clock = parse_clock(r, node["clock"]);
  if (node["options"]) s.spec.options = r.string_map(node["options"], "options");
  if (node["reconnect_timeout_ms"])
    s.reconnect_timeout_ms = r.integer(node["reconnect_timeout_ms"], "reconnect_timeout_ms", 0, 86400000);
  return s;
}

NodeDecl parse_node(const YamlReader& r, const YAML::Node& node, int index) {
  r.require_map(node, "nodes[" + std::to_string(index) + "]");
  r.check_keys(node, {"name", "plugin", "params", "after", "source", "batch_size", "batch_timeout_ms"},
               "a node");
  NodeDecl n;
  n.where = r.where(node);
  if (!node["plugin"])
    r.fail(node, "node " + std::to_string(index + 1) + " has no 'plugin'", "add plugin: NAME");
  n.plugin = r.string(node["plugin"], "plugin");
  n.plugin_where = r.where(node["plugin"]);
  n.name = node["name"] ? r.string(node["name"], "name") : n.plugin;
  n.params_where = n.plugin_where;
  if (node["params"] && !node["params"].IsNull()) {
    r.require_map(node["params"], "params");
    n.params_where = r.where(node["params"]);
    for (const auto& kv : node["params"]) {
      n.params[kv.first.Scalar()] = r.json(kv.second);
      n.param_where[kv.first.Scalar()] = r.where(kv.first);
    }
  }
  if (node["after"]) {
    n.after = r.string_list(node["after"], "after");
    if (node["after"].IsScalar()) n.after_where.push_back(r.where(node["after"]));
    for (const auto& item : node["after"])
      if (node["after"].IsSequence()) n.after_where.push_back(r.where(item));
  }
  if (node["source"]) n.source = r.string(node["source"], "source");
  if (node["batch_size"]) n.batch_size = r.integer(node["batch_size"], "batch_size", 1, 1024);
  if (node["batch_timeout_ms"])
    n.batch_timeout_ms = r.integer(node["batch_timeout_ms"], "batch_timeout_ms", 0, 60000);
  return n;
}

SinkDecl parse_sink(const YamlReader& r, const YAML::Node& node, int index) {
  r.require_map(node, "sinks[" + std::to_string(index) + "]");
  r.check_keys(node, {"name", "kind", "path", "uri", "after", "source", "options"}, "a sink");
  SinkDecl s;
  s.where = r.where(node);
  if (!node["kind"])
    r.fail(node, "sink " + std::to_string(index + 1) + " has no 'kind'",
           "use kind: video, images, jsonl, preview or stream");
  s.spec.kind = r.string(node["kind"], "kind");
  s.spec.name = node["name"] ? r.string(node["name"], "name") : s.spec.kind;
  if (node["path"] && node["uri"])
    r.fail(node["uri"], "sink '" + s.spec.name + "' has both 'path' and 'uri'");
  if (node["path"]) s.spec.uri = r.string(node["path"], "path");
  if (node["uri"]) s.spec.uri = r.string(node["uri"], "uri");
  if (node["options"]) s.spec.options = r.string_map(node["options"], "options");
  if (node["source"]) s.source = r.string(node["source"], "source");
  if (node["after"]) {
    s.after = r.string_list(node["after"], "after");
    if (node["after"].IsScalar()) s.after_where.push_back(r.where(node["after"]));
    for (const auto& item : node["after"])
      if (node["after"].IsSequence()) s.after_where.push_back(r.where(item));
  }
  return s;
}

FailureSettings parse_failure(const YamlReader& r, const YAML::Node& node, FailureSettings base) {
  if (node.IsScalar()) {
    base.policy = parse_policy(r, node);
    return base;
  }
  r.require_map(node, "failure settings");
  r.check_keys(node, {"policy", "max_failures"}, "failure settings");
  if (node["policy"]) base.policy = parse_policy(r, node["policy"]);
  if (node["max_failures"]) base.max_failures = r.integer(node["max_failures"], "max_failures", 1, 1 << 30);
  return base;
}

Settings parse_settings(const YamlReader& r, const YAML::Node& node) {
  Settings s;
  r.require_map(node, "settings");
  r.check_keys(node, {"max_in_flight", "on_failure", "node_failure"}, "settings");
  if (node["max_in_flight"]) {
    s.max_in_flight = r.integer(node["max_in_flight"], "max_in_flight", 1, 4096);
    s.max_in_flight_where = r.where(node["max_in_flight"]);
  }
  if (node["on_failure"]) s.default_failure = parse_failure(r, node["on_failure"], s.default_failure);
  if (node["node_failure"]) {
    r.require_map(node["node_failure"], "node_failure");
    for (const auto& kv : node["node_failure"]) {
      s.node_failure[kv.first.Scalar()] = parse_failure(r, kv.second, s.default_failure);
      s.node_failure_where[kv.first.Scalar()] = r.where(kv.first);
    }
  }
  return s;
}

// The file's variables, then the command line's on top.
std::map<std::string, std::string> collect_variables(const YAML::Node& root, const std::string& name,
                                                     const VariableOverrides& overrides) {
  std::map<std::string, std::string> vars;
  if (const auto node = root["variables"]) {
    const YamlReader plain(name, {});
    plain.require_map(node, "variables");
    for (const auto& kv : node) {
      if (!kv.second.IsScalar())
        plain.fail(kv.second, "variable '" + kv.first.Scalar() + "' must be a text value");
      vars[kv.first.Scalar()] = kv.second.Scalar();
    }
  }
  for (const auto& [k, v] : overrides) vars[k] = v;
  return vars;
}

PipelineSpec parse_root(const YAML::Node& root, const std::string& name, const std::filesystem::path& file,
                        const VariableOverrides& overrides) {
  const YamlReader r(name, collect_variables(root, name, overrides));
  if (!root.IsMap()) r.fail(root, "a pipeline file must be a mapping with sources:, nodes: and sinks:");
  r.check_keys(root,
               {"name", "description", "variables", "plugin_path", "settings", "sources", "nodes", "sinks"},
               "the pipeline");
  PipelineSpec spec;
  spec.file = file;
  spec.variables = collect_variables(root, name, overrides);
  if (!root["sources"])
    r.fail(root, "the pipeline has no 'sources:'", "add sources: [{name: input, uri: ${input}}]");
  r.require_sequence(root["sources"], "sources");
  for (const auto& node : root["sources"])
    spec.sources.push_back(parse_source(r, node, int(spec.sources.size())));
  if (const auto nodes = root["nodes"]; nodes && !nodes.IsNull()) {
    r.require_sequence(nodes, "nodes");
    for (const auto& node : nodes) spec.nodes.push_back(parse_node(r, node, int(spec.nodes.size())));
  }
  if (!root["sinks"])
    r.fail(root, "the pipeline has no 'sinks:'", "add sinks: [{kind: video, path: ${output}}]");
  r.require_sequence(root["sinks"], "sinks");
  for (const auto& node : root["sinks"]) spec.sinks.push_back(parse_sink(r, node, int(spec.sinks.size())));
  if (root["settings"]) spec.settings = parse_settings(r, root["settings"]);
  if (root["plugin_path"]) {
    const auto base = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
    for (const auto& dir : r.string_list(root["plugin_path"], "plugin_path"))
      spec.plugin_path.push_back(std::filesystem::path(dir).is_absolute() ? std::filesystem::path(dir)
                                                                          : base / dir);
  }
  return spec;
}

}  // namespace

PipelineSpec load_pipeline_text(const std::string& yaml, const std::string& name,
                                const VariableOverrides& overrides) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    throw ValidationError({Problem{{name, e.mark.line + 1, e.mark.column + 1},
                                   "YAML syntax error: " + e.msg,
                                   "check the indentation and the ':' after each key"}});
  }
  return parse_root(root, name, name, overrides);
}

PipelineSpec load_pipeline(const std::filesystem::path& file, const VariableOverrides& overrides) {
  std::ifstream in(file);
  if (!in) throw Error("cannot read pipeline file '" + file.string() + "'");
  std::stringstream text;
  text << in.rdbuf();
  PipelineSpec spec = load_pipeline_text(text.str(), file.string(), overrides);
  spec.file = file;
  return spec;
}

std::pair<std::string, std::string> parse_assignment(const std::string& text) {
  const size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) throw Error("--set expects KEY=VALUE, got '" + text + "'");
  return {text.substr(0, eq), text.substr(eq + 1)};
}

}  // namespace neuropipe::pipeline
