// The full export sweep (issue #3): every torchvision architecture of
// tools/export/export_models.py --set all beyond the CI tier, through the
// engine against PyTorch, and every ImageNet classifier through the classify
// plugin (top-5 on a real photo crop). Labelled slow: the exports take
// ~25 minutes and 2 GB; run it with tools/export-sweep.sh.
#include <catch2/catch.hpp>

#include "export_checks.hpp"

using neuropipe::test::check_classifier_export;
using neuropipe::test::check_classify_plugin_top5;

namespace {
// export_models.py name -> manifest entry (tv-NAME with '-' for '_').
std::string store_name(std::string name) {
  for (char& c : name)
    if (c == '_') c = '-';
  return "tv-" + name;
}
}  // namespace

#define NP_SWEEP_CLASSIFIER(arch)                                                              \
  TEST_CASE("parity export " #arch " vs PyTorch", "[parity][sweep]") {                         \
    check_classifier_export(#arch);                                                            \
  }                                                                                            \
  TEST_CASE("parity classify plugin " #arch " top-5 vs PyTorch", "[parity][sweep]") {          \
    check_classify_plugin_top5(#arch, store_name(#arch));                                      \
  }

// The CI tier (mobilenet_v2, resnet18, squeezenet1_1) runs in parity_tests and
// parity_classify_plugin_tests.
NP_SWEEP_CLASSIFIER(alexnet)
NP_SWEEP_CLASSIFIER(vgg16)
NP_SWEEP_CLASSIFIER(resnet50)
NP_SWEEP_CLASSIFIER(squeezenet1_0)
NP_SWEEP_CLASSIFIER(densenet121)
NP_SWEEP_CLASSIFIER(inception_v3)
NP_SWEEP_CLASSIFIER(googlenet)
NP_SWEEP_CLASSIFIER(shufflenet_v2_x1_0)
NP_SWEEP_CLASSIFIER(mobilenet_v3_large)
NP_SWEEP_CLASSIFIER(resnext50_32x4d)
NP_SWEEP_CLASSIFIER(wide_resnet50_2)
NP_SWEEP_CLASSIFIER(mnasnet1_0)

TEST_CASE("parity export fasterrcnn_resnet50_fpn vs PyTorch", "[parity][sweep]") {
  neuropipe::test::check_fasterrcnn_export("fasterrcnn_resnet50_fpn");
}
