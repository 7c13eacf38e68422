// The standard benchmark set (`neuropipe bench --all`) covers the plugin models
// of issue #8 through their tools/export outputs, and every case whose export
// is present gets runnable inputs (its shape overrides fill every symbolic dim).
#include <catch2/catch.hpp>
#include <filesystem>
#include <set>

#include "bench_suite.hpp"
#include "model_inputs.hpp"
#include "parity_support.hpp"

namespace fs = std::filesystem;
namespace bench = neuropipe::bench;

TEST_CASE("bench --all includes the Faster R-CNN, colorization, pix2pix and caption exports", "[bench]") {
  std::vector<std::string> missing;
  std::set<std::string> asked;
  const auto cases = bench::standard_cases(
      [&](const std::string& name) {
        asked.insert(name);
        return name;
      },
      missing);
  CHECK(missing.empty());
  for (const char* model : {"export:fasterrcnn_mobilenet_v3_large_320_fpn", "export:pix2pix/pix2pix-unet256",
                            "export:colorization/colorization-eccv16", "export:colorization/colorization-siggraph17",
                            "export:caption/show-and-tell-encoder", "export:caption/show-and-tell-decoder"})
    CHECK(asked.count(model) == 1);
}

TEST_CASE("every present export of the bench set gets inputs of a concrete shape", "[bench]") {
  std::vector<std::string> missing;
  const auto cases = bench::standard_cases(
      [](const std::string& name) -> std::string {
        if (name.rfind("export:", 0) != 0) throw std::runtime_error("not an export");
        const fs::path p = neuropipe::test::exports_dir() / (name.substr(7) + ".onnx");
        if (!fs::exists(p)) throw std::runtime_error("missing " + p.string());
        return p.string();
      },
      missing);
  int checked = 0;
  for (const auto& c : cases) {
    INFO(c.model);
    const auto inputs = bench::make_inputs(c.path, c.shapes, 1);
    CHECK(!inputs.empty());
    for (const auto& in : inputs)
      for (int64_t d : in.tensor.shape()) CHECK(d > 0);
    ++checked;
  }
  // tools/test.sh exports these (CI tier, pix2pix, caption, colorization).
  CHECK(checked >= 4);
}
