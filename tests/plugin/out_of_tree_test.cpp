// The whole outside-author story: install NeuroPipe, scaffold a plugin with
// the installed CLI, build it with find_package(NeuroPipe), and run its
// sample pipeline with the installed `neuropipe run` on a real video.
#include <catch2/catch.hpp>

#include "shell.hpp"
#include "test_support.hpp"

using namespace neuropipe::test;
using Catch::Matchers::Contains;

namespace {
void require_ok(const CommandResult& r, const std::string& step) {
  INFO(step << ":\n" << r.output);
  REQUIRE(r.status == 0);
}
}  // namespace

TEST_CASE("an out-of-tree plugin builds against an installed NeuroPipe and runs", "[plugin][integration]") {
  const auto video = shared_file("media/video/opencv_vtest.avi");
  TempDir tmp("np-out-of-tree");
  const auto prefix = tmp / "prefix";
  const auto demo = tmp / "demo";
  const std::string clean_env = "env -u NEUROPIPE_PLUGIN_PATH ";
  const std::string cli = clean_env + quoted((prefix / "bin" / "neuropipe").string());

  require_ok(run_command("cmake --install " + quoted(binary_dir().string()) + " --prefix " +
                         quoted(prefix.string())),
             "cmake --install");

  // The installed CLI finds the installed plugins, not the build tree's.
  auto info = run_command(cli + " plugins info overlay");
  require_ok(info, "installed plugins info");
  CHECK_THAT(info.output, Contains((prefix / "lib").string()));
  // `neuropipe models fetch` of export-only models runs the installed recipes.
  CHECK(std::filesystem::exists(prefix / "share/neuropipe/tools/export/torchvision_classifier.py"));
  CHECK(std::filesystem::exists(prefix / "share/neuropipe/tools/export/export_models.py"));

  require_ok(run_command(cli + " plugins new demo --dir " + quoted(demo.string())), "plugins new");
  require_ok(run_command("cmake -S " + quoted(demo.string()) + " -B " + quoted((demo / "build").string()) +
                         " -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=" + quoted(prefix.string()) +
                         " -DSAMPLE_INPUT=" + quoted(video.string())),
             "configure the demo plugin");
  require_ok(run_command("cmake --build " + quoted((demo / "build").string())), "build the demo plugin");

  auto described = run_command("NEUROPIPE_PLUGIN_PATH=" + quoted((demo / "build").string()) + " " +
                               quoted((prefix / "bin" / "neuropipe").string()) + " plugins info demo");
  require_ok(described, "plugins info demo");
  CHECK_THAT(described.output, Contains("dark_below (float, default 40.0) range [0, 255]"));

  auto tested = run_command("ctest --test-dir " + quoted((demo / "build").string()) + " --output-on-failure");
  require_ok(tested, "the demo's own test (neuropipe run on the sample pipeline)");
  CHECK_THAT(tested.output, Contains("100% tests passed"));
}
