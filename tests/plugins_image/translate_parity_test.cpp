// translate parity: the plugin's whole image path (pad to a multiple of 4,
// RGB x/127.5-1, generator, (y+1)*127.5, crop back) against the PyTorch
// reference that tools/export/cyclegan.py writes for the same real photo,
// with the CycleGAN ResNet-9-block generator exactly as the paper's code
// builds it. The export must have run first (tools/test.sh does):
//   tools/export/cyclegan.py --out ${NEUROPIPE_CACHE_DIR:-~/.cache/neuropipe}/exports/cyclegan
#include <cstdlib>
#include <fstream>
#include <iostream>

#include <catch2/catch.hpp>
#include <opencv2/imgcodecs.hpp>

#include "neuropipe/models/sha256.hpp"
#include "neuropipe/models/store.hpp"
#include "neuropipe/plugin/host.hpp"
#include "test_support.hpp"

using namespace neuropipe;
namespace fs = std::filesystem;

namespace {

fs::path export_dir() {
  const char* cache = std::getenv("NEUROPIPE_CACHE_DIR");
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const fs::path root = cache ? fs::path(cache) : xdg ? fs::path(xdg) / "neuropipe" : fs::path(std::getenv("HOME")) / ".cache/neuropipe";
  return root / "exports" / "cyclegan";
}

fs::path exported(const std::string& name) {
  const fs::path p = export_dir() / name;
  if (!fs::exists(p)) FAIL("missing " << p << ": run tools/export/cyclegan.py --out " << export_dir());
  return p;
}

// A store whose manifest names the exported generator, read from the export folder.
std::shared_ptr<models::ModelStore> export_store(const test::TempDir& tmp) {
  const fs::path onnx = exported("cyclegan-resnet9.onnx");
  std::ofstream(tmp / "models.yaml") << "models:\n"
                                        "  - name: cyclegan-resnet9-seeded\n"
                                        "    task: translate\n"
                                        "    file: cyclegan-resnet9.onnx\n"
                                        "    sha256: " << models::sha256_file(onnx) << "\n"
                                        "    source: tools/export/cyclegan.py (seeded weights)\n"
                                        "    license: BSD\n"
                                        "    input: {tensor: input, layout: NCHW, width: 256, height: 256, channels: 3, "
                                        "color: RGB, scale: 0.00784313725490196, mean: 1, std: 1, dynamic_size: true}\n"
                                        "    outputs: [{name: output, decoding: image_tanh}]\n"
                                        "    extra: {size_multiple: 4}\n";
  models::StoreConfig config;
  config.manifest = tmp / "models.yaml";
  config.assets_dir = test::source_dir() / "assets";
  config.cache_dir = export_dir();
  return std::make_shared<models::ModelStore>(config);
}

}  // namespace

TEST_CASE("translate parity: CycleGAN ResNet-9 whole image path vs PyTorch", "[plugin][translate][parity]") {
  const test::TempDir tmp("np-translate-parity");
  plugin::PluginRegistry registry;
  registry.add_library(test::binary_dir() / "plugins" / "lib" / "libneuropipe_translate.so");
  registry.set_model_store(export_store(tmp));
  auto node = registry.create("translate", "translate", {{"model", "cyclegan-resnet9-seeded"}, {"max_size", 0}});

  const cv::Mat input = cv::imread(exported("cyclegan_input.png").string(), cv::IMREAD_COLOR);
  const cv::Mat reference = cv::imread(exported("cyclegan_reference.png").string(), cv::IMREAD_COLOR);
  REQUIRE(input.cols % 4 != 0);  // the padding path is exercised
  Frame frame(input.clone(), FrameOrigin{});
  node->process(frame);
  const cv::Mat output = frame.image();
  REQUIRE(output.size() == reference.size());
  // 8-bit outputs: relative to the full pixel range; one level of rounding is allowed.
  const double max_rel_err = cv::norm(output, reference, cv::NORM_INF) / 255.0;
  std::cout << "parity translate max_rel_err=" << max_rel_err << "\n";
  CHECK(max_rel_err <= 1.0 / 255.0);
  CHECK(cv::norm(output, input, cv::NORM_L1) / input.total() > 10);  // the generator did change the picture
}
