// Exported architectures (tools/export/export_models.py, deterministic random
// weights) match PyTorch's own outputs: classifier logits 1e-4 relative;
// Faster R-CNN the same boxes (1e-3 relative), labels and score order.
#include <catch2/catch.hpp>

#include "export_checks.hpp"

namespace np = neuropipe;

using np::test::check_classifier_export;

TEST_CASE("parity export mobilenet_v2 vs PyTorch", "[parity]") { check_classifier_export("mobilenet_v2"); }
TEST_CASE("parity export resnet18 vs PyTorch", "[parity]") { check_classifier_export("resnet18"); }
TEST_CASE("parity export squeezenet1_1 vs PyTorch", "[parity]") { check_classifier_export("squeezenet1_1"); }

// Faster R-CNN: see check_fasterrcnn_export (export_checks.cpp) for how ties are matched.
TEST_CASE("parity export fasterrcnn_mobilenet_v3_large_320_fpn vs PyTorch", "[parity]") {
  np::test::check_fasterrcnn_export("fasterrcnn_mobilenet_v3_large_320_fpn");
}
