// Parameter checks done by the host before a plugin sees a value.
#include <catch2/catch.hpp>

#include "neuropipe/error.hpp"
#include "neuropipe/plugin/host.hpp"
#include "neuropipe/plugin/params.hpp"
#include "plugin_fixtures.hpp"

using namespace neuropipe;
using namespace neuropipe::plugin;
using nlohmann::json;

namespace {
PluginRegistry echo_registry() {
  PluginRegistry registry;
  registry.add_library(test::fixture_plugin("test_echo"));
  return registry;
}
void check_rejected(const json& params, const std::string& message) {
  PluginRegistry registry = echo_registry();
  CHECK_THROWS_MATCHES(registry.validate_params("test_echo", "n1", params), Error,
                       Catch::Matchers::Message("node 'n1' (plugin test_echo): " + message));
}
}  // namespace

TEST_CASE("defaults are filled in and given values kept", "[plugin][unit]") {
  json out = echo_registry().validate_params("test_echo", "n1", {{"times", 4}, {"gain", 1}});
  CHECK(out["times"] == 4);
  CHECK(out["gain"].is_number_float());  // an integer given for a float parameter becomes a float
  CHECK(out["gain"] == 1.0);
  CHECK(out["label"] == "hello");
  CHECK(out["tags"] == json::array());
  CHECK(out.size() == 8);
  CHECK(echo_registry().validate_params("test_echo", "n1", nullptr).size() == 8);
}

TEST_CASE("wrong parameter types are named", "[plugin][unit]") {
  check_rejected({{"times", "three"}}, "parameter 'times' must be an int, got \"three\"");
  check_rejected({{"times", 2.5}}, "parameter 'times' must be an int, got 2.5");
  check_rejected({{"gain", "loud"}}, "parameter 'gain' must be a float, got \"loud\"");
  check_rejected({{"enabled", 1}}, "parameter 'enabled' must be a bool, got 1");
  check_rejected({{"label", 5}}, "parameter 'label' must be a string, got 5");
  check_rejected({{"tags", {"a", 2}}}, "parameter 'tags' must be a string list, got [\"a\",2]");
  check_rejected(json::array({1, 2}), "parameters must be a mapping, got [1,2]");
}

TEST_CASE("out-of-range numbers and unknown choices are named", "[plugin][unit]") {
  check_rejected({{"times", 11}}, "parameter 'times' = 11 is out of range [1, 10]");
  check_rejected({{"times", 0}}, "parameter 'times' = 0 is out of range [1, 10]");
  check_rejected({{"gain", 1.5}}, "parameter 'gain' = 1.5 is out of range [0, 1]");
  check_rejected({{"mode", "medium"}}, "parameter 'mode' = \"medium\" is not one of: fast, slow");
}

TEST_CASE("unknown parameter names are refused with the known ones listed", "[plugin][unit]") {
  check_rejected({{"tims", 3}},
                 "unknown parameter 'tims' (known: label, times, gain, enabled, tags, mode, fail_at, hold_ms)");
}

TEST_CASE("create() applies the same checks", "[plugin][unit]") {
  PluginRegistry registry = echo_registry();
  CHECK_THROWS_MATCHES(registry.create("test_echo", "n2", {{"times", 99}}), Error,
                       Catch::Matchers::Message("node 'n2' (plugin test_echo): parameter 'times' = 99 is out of range [1, 10]"));
}

TEST_CASE("Params::get names the node and parameter on a type mismatch", "[plugin][unit]") {
  Params params(json{{"k", "text"}}, "node7");
  CHECK(params.get<std::string>("k") == "text");
  CHECK_THROWS_MATCHES(params.get<int>("k"), Error,
                       Catch::Matchers::Message("node 'node7': parameter 'k' is not an integer: \"text\""));
  CHECK_THROWS_MATCHES(params.get<int>("missing"), Error,
                       Catch::Matchers::Message("node 'node7': parameter 'missing' was not declared by the plugin or has no value"));
}
