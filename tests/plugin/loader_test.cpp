// Loading plugin libraries: the SDK round trip, ABI and symbol checks,
// broken files, name clashes, errors at the boundary, serialised calls.
#include <fstream>
#include <thread>

#include <catch2/catch.hpp>

#include "neuropipe/error.hpp"
#include "neuropipe/plugin/host.hpp"
#include "plugin_fixtures.hpp"

using namespace neuropipe;
using namespace neuropipe::plugin;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {
Frame make_frame(int64_t index) {
  FrameOrigin origin;
  origin.index = index;
  return Frame(cv::Mat(4, 4, CV_8UC3, cv::Scalar(1, 2, 3)), origin);
}

std::string all_problems(const PluginRegistry& registry) {
  std::string text;
  for (const auto& p : registry.problems()) text += p + "\n";
  return text;
}

fs::path copy_into(const fs::path& so, const fs::path& dir) {
  fs::create_directories(dir);
  fs::copy_file(so, dir / so.filename());
  return dir / so.filename();
}
}  // namespace

TEST_CASE("an SDK plugin describes itself through the C ABI", "[plugin][unit]") {
  PluginRegistry registry;
  registry.add_library(test::fixture_plugin("test_echo"));
  const PluginInfo* info = registry.find("test_echo");
  REQUIRE(info != nullptr);
  CHECK(info->version == "1.2.3");
  CHECK(info->description == "Test plugin: echoes its parameters into metadata");
  CHECK(info->library == test::fixture_plugin("test_echo"));
  CHECK(info->writes == std::vector<std::string>{"echo"});
  CHECK_FALSE(info->concurrent);
  CHECK(info->batched);
  REQUIRE(info->params.size() == 8);
  const ParamSpec& times = info->params[1];
  CHECK(times.name == "times");
  CHECK(times.type == NP_PARAM_INT);
  CHECK(*times.default_value == 1);
  CHECK(times.range == std::pair{1.0, 10.0});
  CHECK(info->params[5].choices == std::vector<std::string>{"fast", "slow"});
}

TEST_CASE("an SDK plugin processes a frame and writes metadata", "[plugin][unit]") {
  PluginRegistry registry;
  registry.add_library(test::fixture_plugin("test_echo"));
  auto node = registry.create("test_echo", "echo1", {{"label", "hi"}, {"times", 3}, {"tags", {"a", "b"}}});
  CHECK(node->node_name() == "echo1");
  CHECK(node->info().name == "test_echo");

  Frame frame = make_frame(7);
  node->process(frame);
  auto out = frame.get_as<JsonMetadata>("echo1");
  REQUIRE(out);
  CHECK(out->kind() == "echo");
  CHECK(out->value["label"] == "hi");
  CHECK(out->value["times"] == 3);
  CHECK(out->value["gain"] == 0.5);  // default filled in by the host
  CHECK(out->value["enabled"] == true);
  CHECK(out->value["tags"] == nlohmann::json({"a", "b"}));
  CHECK(out->value["mode"] == "fast");
  CHECK(out->value["index"] == 7);
  CHECK(out->value["node"] == "echo1");
  node->finish();
}

TEST_CASE("a batched plugin receives the whole batch in one call", "[plugin][unit]") {
  PluginRegistry registry;
  registry.add_library(test::fixture_plugin("test_echo"));
  auto node = registry.create("test_echo", "batcher", nlohmann::json::object());
  Frame a = make_frame(0), b = make_frame(1), c = make_frame(2);
  std::vector<Frame*> batch{&a, &b, &c};
  node->process_batch(batch);
  for (Frame* f : batch) {
    auto out = f->get_as<JsonMetadata>("batcher");
    REQUIRE(out);
    CHECK(out->value["batches"] == 1);
    CHECK(out->value["index"] == f->origin().index);
  }
}

TEST_CASE("a plugin that throws fails with the node and plugin name", "[plugin][unit]") {
  PluginRegistry registry;
  registry.add_library(test::fixture_plugin("test_echo"));
  auto node = registry.create("test_echo", "cursed_node", {{"fail_at", 2}});
  Frame ok = make_frame(1), bad = make_frame(2);
  node->process(ok);
  CHECK_THROWS_MATCHES(node->process(bad), Error,
                       Catch::Matchers::Message("node 'cursed_node' (plugin test_echo): frame 2 is cursed"));
  Frame after = make_frame(3);
  CHECK_NOTHROW(node->process(after));  // the node survives a failed frame

  CHECK_THROWS_MATCHES(registry.create("test_echo", "boom", {{"label", "explode"}}), Error,
                       Catch::Matchers::Message("node 'boom' (plugin test_echo): label 'explode' refused at construction"));
}

TEST_CASE("a non-concurrent plugin is never entered by two threads at once", "[plugin][unit]") {
  PluginRegistry registry;
  registry.add_library(test::fixture_plugin("test_echo"));
  auto node = registry.create("test_echo", "serial", {{"hold_ms", 5}});
  std::vector<std::unique_ptr<Frame>> frames;
  for (int i = 0; i < 8; ++i) frames.push_back(std::make_unique<Frame>(cv::Mat(4, 4, CV_8UC3), FrameOrigin{}));
  std::vector<std::thread> threads;
  for (auto& f : frames) threads.emplace_back([&node, frame = f.get()] { node->process(*frame); });
  for (auto& t : threads) t.join();
  for (auto& f : frames) CHECK(f->get_as<JsonMetadata>("serial")->value["max_concurrent"] == 1);
}

TEST_CASE("a plugin built for another ABI version is refused, naming both versions and the file", "[plugin][unit]") {
  PluginRegistry registry;
  const fs::path so = test::fixture_plugin("test_abi999");
  CHECK_THROWS_WITH(registry.add_library(so),
                    Contains("ABI version 999") &&
                        Contains("ABI version " + std::to_string(NEUROPIPE_PLUGIN_ABI_VERSION)) &&
                        Contains(so.string()));
  CHECK(registry.find("test_future") == nullptr);
}

TEST_CASE("a library without the entry symbol is refused by name", "[plugin][unit]") {
  PluginRegistry registry;
  const fs::path so = test::fixture_plugin("test_no_entry");
  CHECK_THROWS_WITH(registry.add_library(so), Contains(so.string()) && Contains("neuropipe_plugin_entry"));
}

TEST_CASE("discover reports broken libraries and loads the good ones", "[plugin][unit]") {
  test::TempDir dir("np-plugin-discover");
  copy_into(test::fixture_plugin("test_echo"), dir.path());
  copy_into(test::fixture_plugin("test_abi999"), dir.path());
  copy_into(test::fixture_plugin("test_no_entry"), dir.path());
  std::ofstream(dir / "libneuropipe_bad.so") << "this is a text file, not an ELF library\n";

  PluginRegistry registry = PluginRegistry::discover({dir.path()});
  REQUIRE(registry.find("test_echo") != nullptr);
  CHECK(registry.find("test_echo")->library.parent_path() == fs::canonical(dir.path()));
  const std::string problems = all_problems(registry);
  CHECK_THAT(problems, Contains("libneuropipe_bad.so"));
  CHECK_THAT(problems, Contains("libneuropipe_test_abi999.so") && Contains("ABI version 999"));
  CHECK_THAT(problems, Contains("libneuropipe_test_no_entry.so"));
  CHECK(registry.problems().size() == 3);
}

TEST_CASE("two plugins with the same name: the first in search order wins, the clash is reported",
          "[plugin][unit]") {
  test::TempDir root("np-plugin-clash");
  const fs::path first = copy_into(test::fixture_plugin("test_echo"), root / "first");
  const fs::path second = copy_into(test::fixture_plugin("test_duplicate"), root / "second");

  PluginRegistry registry = PluginRegistry::discover({root / "first", root / "second"});
  REQUIRE(registry.find("test_echo") != nullptr);
  CHECK(registry.find("test_echo")->version == "1.2.3");
  CHECK_THAT(all_problems(registry), Contains(fs::canonical(first).string()) &&
                                         Contains(fs::canonical(second).string()) && Contains("test_echo"));

  PluginRegistry explicit_registry;
  explicit_registry.add_library(first);
  CHECK_THROWS_WITH(explicit_registry.add_library(second), Contains(first.string()) && Contains(second.string()));
}

TEST_CASE("an unknown plugin name lists the known ones", "[plugin][unit]") {
  PluginRegistry registry;
  registry.add_library(test::fixture_plugin("test_echo"));
  CHECK_THROWS_WITH(registry.create("tset_echo", "n", {}), Contains("unknown plugin 'tset_echo'") && Contains("test_echo"));
}
