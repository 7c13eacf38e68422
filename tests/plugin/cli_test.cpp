// `neuropipe plugins list|info|new` from the build tree.
#include <catch2/catch.hpp>

#include "shell.hpp"
#include "test_support.hpp"

using namespace neuropipe::test;
using Catch::Matchers::Contains;

TEST_CASE("plugins list shows one built-in plugin per line", "[plugin][cli][integration]") {
  auto r = neuropipe_cli("plugins list");
  INFO(r.output);
  REQUIRE(r.status == 0);
  for (const char* name : {"overlay ", "resize ", "crop ", "color_convert ", "flip ", "blur "})
    CHECK_THAT(r.output, Contains(std::string("\n") + name) || Catch::Matchers::StartsWith(name));
  CHECK_THAT(r.output, Contains("1.0.0") && Contains("Draws detections"));
}

TEST_CASE("plugins info prints parameters, metadata, flags and the library", "[plugin][cli][integration]") {
  auto r = neuropipe_cli("plugins info overlay");
  INFO(r.output);
  REQUIRE(r.status == 0);
  CHECK_THAT(r.output, Contains("mask_alpha (float, default 0.5) range [0, 1]"));
  CHECK_THAT(r.output, Contains("reads:   detections?, classifications?, mask?, caption?"));
  CHECK_THAT(r.output, Contains("writes:  image"));
  CHECK_THAT(r.output, Contains("flags:   concurrent"));
  CHECK_THAT(r.output, Contains((binary_dir() / "plugins" / "lib" / "libneuropipe_overlay.so").string()));

  auto resize = neuropipe_cli("plugins info resize");
  CHECK_THAT(resize.output, Contains("one of: stretch, keep_aspect, letterbox"));
}

TEST_CASE("plugins info on an unknown name fails and lists what exists", "[plugin][cli][integration]") {
  auto r = neuropipe_cli("plugins info overlayy");
  CHECK(r.status == 1);
  CHECK_THAT(r.output, Contains("no plugin named 'overlayy'") && Contains("overlay"));
}

TEST_CASE("plugins new writes a project named after the plugin", "[plugin][cli][integration]") {
  TempDir tmp("np-plugins-new");
  const auto dir = tmp / "face_counter";
  auto r = neuropipe_cli("plugins new face_counter --dir " + quoted(dir.string()));
  INFO(r.output);
  REQUIRE(r.status == 0);
  for (const char* file : {"CMakeLists.txt", "face_counter.cpp", "pipeline.yaml", "test/check_sample.cmake"})
    CHECK(std::filesystem::exists(dir / file));
  auto again = neuropipe_cli("plugins new face_counter --dir " + quoted(dir.string()));
  CHECK(again.status == 1);
  CHECK_THAT(again.output, Contains("exists and is not empty"));
  CHECK(neuropipe_cli("plugins new Bad-Name --dir " + quoted((tmp / "x").string())).status == 1);
}
