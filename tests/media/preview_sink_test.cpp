// Preview sink: without a display it refuses to open with a clear error.
#include <catch2/catch.hpp>
#include <cstdlib>

#include "media_fixtures.hpp"

using namespace neuropipe;
using namespace neuropipe::test;

TEST_CASE("a preview without a display is a clear Error", "[media][preview]") {
  ::unsetenv("DISPLAY");
  ::unsetenv("WAYLAND_DISPLAY");
  media::SinkSpec spec;
  spec.name = "window";
  spec.kind = "preview";
  CHECK_THAT(error_message([&] { media::open_sink(spec, {}); }),
             Catch::Contains("sink 'window'") && Catch::Contains("DISPLAY"));
}
