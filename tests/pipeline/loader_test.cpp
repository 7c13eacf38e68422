// Pipeline files: parsing, variables, --set, and the located errors of
// malformed files.
#include <catch2/catch.hpp>

#include "neuropipe/pipeline/loader.hpp"
#include "neuropipe/pipeline/validation.hpp"

using namespace neuropipe;
using namespace neuropipe::pipeline;

namespace {

// The single problem a loader error carries.
Problem load_problem(const std::string& yaml, const VariableOverrides& vars = {}) {
  try {
    load_pipeline_text(yaml, "p.yaml", vars);
  } catch (const ValidationError& e) {
    REQUIRE(e.problems().size() == 1);
    return e.problems().front();
  }
  FAIL("the pipeline loaded although it is invalid");
  return {};
}

const char* const full = R"(variables:
  threshold: "0.5"
  input: default.mp4
plugin_path: [plugins]
settings:
  max_in_flight: 4
  on_failure: disable_node
  node_failure:
    blur: {policy: stop_pipeline}
sources:
  - name: cam
    uri: ${input}
    clock: live
    options: {timeout_ms: 5000}
nodes:
  - name: blur
    plugin: test_image
    params: {level: 128, mode: half}
  - name: tag
    plugin: test_mark
    after: [blur]
    source: cam
    batch_size: 2
sinks:
  - kind: video
    path: ${output}/out.mp4
    after: tag
  - name: meta
    kind: jsonl
    path: ${output}/m.jsonl
)";

}  // namespace

TEST_CASE("a complete pipeline file loads with its variables and settings", "[pipeline][loader]") {
  const auto spec = load_pipeline_text(full, "dir/p.yaml", {{"output", "/tmp/o"}});
  REQUIRE(spec.sources.size() == 1);
  CHECK(spec.sources[0].spec.name == "cam");
  CHECK(spec.sources[0].spec.uri == "default.mp4");
  CHECK(spec.sources[0].clock == ClockMode::live);
  CHECK(spec.sources[0].spec.options.at("timeout_ms") == "5000");
  CHECK(spec.sources[0].uri_where.line == 12);
  CHECK(spec.sources[0].uri_where.column == 10);
  REQUIRE(spec.nodes.size() == 2);
  CHECK(spec.nodes[0].params["level"] == 128);
  CHECK(spec.nodes[0].params["mode"] == "half");
  CHECK(spec.nodes[0].param_where.at("level").line == 18);
  CHECK(spec.nodes[1].after == std::vector<std::string>{"blur"});
  CHECK(spec.nodes[1].source == std::optional<std::string>("cam"));
  CHECK(spec.nodes[1].batch_size == 2);
  REQUIRE(spec.sinks.size() == 2);
  CHECK(spec.sinks[0].spec.name == "video");
  CHECK(spec.sinks[0].spec.uri == "/tmp/o/out.mp4");
  CHECK(spec.sinks[0].after == std::vector<std::string>{"tag"});
  CHECK(spec.sinks[1].spec.uri == "/tmp/o/m.jsonl");
  CHECK(spec.settings.max_in_flight == 4);
  CHECK(spec.failure_of("tag").policy == plugin::FailurePolicy::disable_node);
  CHECK(spec.failure_of("blur").policy == plugin::FailurePolicy::stop_pipeline);
  REQUIRE(spec.plugin_path.size() == 1);
  CHECK(spec.plugin_path[0] == std::filesystem::path("dir/plugins"));
}

TEST_CASE("variables from --set and --input override the file's", "[pipeline][loader]") {
  const auto spec = load_pipeline_text(full, "p.yaml", {{"input", "udp://1.2.3.4:5"}, {"output", "out"}});
  CHECK(spec.sources[0].spec.uri == "udp://1.2.3.4:5");
  CHECK(spec.variables.at("threshold") == "0.5");
  CHECK(parse_assignment("a=b=c") == std::pair<std::string, std::string>("a", "b=c"));
  CHECK_THROWS_AS(parse_assignment("novalue"), Error);
}

TEST_CASE("variables keep parameter types after substitution", "[pipeline][loader]") {
  const auto spec = load_pipeline_text(R"(variables: {k: "7", name: tabby}
sources: [{uri: x}]
nodes:
  - plugin: test_image
    params:
      level: ${k}
      mode: "${name}"
      n: '12'
sinks: [{kind: jsonl, path: o.jsonl}]
)",
                                       "p.yaml");
  CHECK(spec.nodes[0].params["level"] == 7);
  CHECK(spec.nodes[0].params["mode"] == "tabby");
  CHECK(spec.nodes[0].params["n"] == "12");  // quoted: stays text
}

TEST_CASE("an unknown variable names itself, its place and how to set it", "[pipeline][loader]") {
  const auto p = load_problem("sources:\n  - uri: ${input}\nsinks:\n  - kind: video\n    path: ${output}\n");
  CHECK(p.where.str() == "p.yaml:2:10");
  CHECK_THAT(p.message, Catch::Contains("unknown variable 'input'"));
  CHECK_THAT(p.hint, Catch::Contains("--input"));
  const auto q = load_problem(
      "variables: {threshold: 1}\nsources:\n  - uri: ${treshold}\nsinks: [{kind: jsonl, path: x}]\n");
  CHECK(q.where.line == 3);
  CHECK_THAT(q.hint, Catch::Contains("did you mean 'threshold'"));
}

TEST_CASE("syntax errors and misplaced fields are located", "[pipeline][loader]") {
  const auto syntax = load_problem("sources:\n  - uri: a\n   bad: [\n");
  CHECK(syntax.where.line >= 2);
  CHECK_THAT(syntax.message, Catch::Contains("YAML syntax error"));

  const auto field = load_problem("sources:\n  - uri: a\n    clok: live\nsinks: [{kind: jsonl, path: x}]\n");
  CHECK(field.where.str() == "p.yaml:3:5");
  CHECK_THAT(field.message, Catch::Contains("unknown field 'clok' in a source"));
  CHECK_THAT(field.hint, Catch::Contains("did you mean 'clock'"));

  const auto clock =
      load_problem("sources:\n  - uri: a\n    clock: realtime\nsinks: [{kind: jsonl, path: x}]\n");
  CHECK(clock.where.str() == "p.yaml:3:12");
  CHECK_THAT(clock.message, Catch::Contains("clock must be 'offline' or 'live'"));

  const auto in_flight =
      load_problem("settings: {max_in_flight: 0}\nsources: [{uri: a}]\nsinks: [{kind: jsonl, path: x}]\n");
  CHECK(in_flight.where.str() == "p.yaml:1:27");
  CHECK_THAT(in_flight.message, Catch::Contains("'max_in_flight' is 0, outside [1, 4096]"));

  const auto policy =
      load_problem("settings: {on_failure: retry}\nsources: [{uri: a}]\nsinks: [{kind: jsonl, path: x}]\n");
  CHECK_THAT(policy.message, Catch::Contains("unknown failure policy 'retry'"));

  const auto no_plugin =
      load_problem("sources: [{uri: a}]\nnodes:\n  - name: x\nsinks: [{kind: jsonl, path: x}]\n");
  CHECK(no_plugin.where.str() == "p.yaml:3:5");
  CHECK_THAT(no_plugin.message, Catch::Contains("has no 'plugin'"));

  const auto no_sinks = load_problem("sources: [{uri: a}]\n");
  CHECK_THAT(no_sinks.message, Catch::Contains("no 'sinks:'"));
}
