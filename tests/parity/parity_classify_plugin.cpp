// The classify plugin on the CI tier of exported classifiers: the plugin's
// whole path (store lookup of the export-only entry, pre-processing, engine,
// softmax, top-5) on a real photo crop gives PyTorch's top-5 labels and scores.
#include <catch2/catch.hpp>

#include "export_checks.hpp"

using neuropipe::test::check_classify_plugin_top5;

TEST_CASE("parity classify plugin tv-mobilenet-v2 top-5 vs PyTorch", "[parity]") {
  check_classify_plugin_top5("mobilenet_v2", "tv-mobilenet-v2");
}
TEST_CASE("parity classify plugin tv-resnet18 top-5 vs PyTorch", "[parity]") {
  check_classify_plugin_top5("resnet18", "tv-resnet18");
}
TEST_CASE("parity classify plugin tv-squeezenet1-1 top-5 vs PyTorch", "[parity]") {
  check_classify_plugin_top5("squeezenet1_1", "tv-squeezenet1-1");
}
