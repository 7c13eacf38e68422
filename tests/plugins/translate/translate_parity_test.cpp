// translate parity: the plugin's whole image path (pad to the size multiple,
// RGB x/127.5-1, generator, (y+1)*127.5, crop back) against the PyTorch
// reference that the export recipes write for the same real photo, with the
// generators exactly as junyanz/pytorch-CycleGAN-and-pix2pix builds them
// (CycleGAN ResNet-9-block, pix2pix U-Net-256). The exports must have run
// first (tools/test.sh does), into ${NEUROPIPE_CACHE_DIR:-~/.cache/neuropipe}/exports:
//   tools/export/cyclegan.py --out .../exports/cyclegan
//   tools/export/pix2pix.py --out .../exports/pix2pix
#include <cstdlib>
#include <fstream>
#include <iostream>

#include <catch2/catch.hpp>
#include <opencv2/imgcodecs.hpp>

#include "neuropipe/models/sha256.hpp"
#include "neuropipe/models/store.hpp"
#include "neuropipe/plugin/host.hpp"
#include "exports.hpp"
#include "test_support.hpp"

using namespace neuropipe;
namespace fs = std::filesystem;

namespace {

// One export recipe's folder: the ONNX file, the input crop and the PyTorch reference.
struct Export {
  std::string recipe;  // tools/export/<recipe>.py
  std::string onnx;
  std::string input_size;  // manifest input fields for the size

  fs::path dir() const { return test::exports_dir() / recipe; }
  fs::path file(const std::string& name) const {
    return test::export_file(recipe + "/" + name, "tools/export/" + recipe + ".py --out " + dir().string());
  }
  cv::Mat image(const std::string& name) const { return cv::imread(file(name).string(), cv::IMREAD_COLOR); }
};

// A store whose manifest names the exported generator, read from the export folder.
std::shared_ptr<models::ModelStore> export_store(const Export& e, const test::TempDir& tmp) {
  std::ofstream(tmp / "models.yaml")
      << "models:\n"
         "  - name: "
      << e.recipe
      << "-seeded\n"
         "    task: translate\n"
         "    file: "
      << e.onnx
      << "\n"
         "    sha256: "
      << models::sha256_file(e.file(e.onnx))
      << "\n"
         "    source: tools/export/"
      << e.recipe
      << ".py (seeded weights)\n"
         "    license: BSD\n"
         "    input: {tensor: input, layout: NCHW, "
      << e.input_size
      << ", channels: 3, color: RGB, scale: 0.00784313725490196, mean: 1, std: 1}\n"
         "    outputs: [{name: output, decoding: image_tanh}]\n"
         "    extra: {size_multiple: 4}\n";
  models::StoreConfig config;
  config.manifest = tmp / "models.yaml";
  config.assets_dir = test::source_dir() / "assets";
  config.cache_dir = e.dir();
  return std::make_shared<models::ModelStore>(config);
}

// max |plugin - PyTorch| over the full 8-bit range.
double parity(const Export& e, const std::string& prefix) {
  const test::TempDir tmp("np-translate-parity");
  plugin::PluginRegistry registry;
  registry.add_library(test::binary_dir() / "plugins" / "lib" / "libneuropipe_translate.so");
  registry.set_model_store(export_store(e, tmp));
  auto node = registry.create("translate", "translate", {{"model", e.recipe + "-seeded"}, {"max_size", 0}});

  const cv::Mat input = e.image(prefix + "_input.png"), reference = e.image(prefix + "_reference.png");
  Frame frame(input.clone(), FrameOrigin{});
  node->process(frame);
  const cv::Mat output = frame.image();
  REQUIRE(output.size() == reference.size());
  CHECK(cv::norm(output, input, cv::NORM_L1) / input.total() > 10);  // the generator did change the picture
  cv::Scalar mean, spread;
  cv::meanStdDev(reference, mean, spread);
  CHECK(spread[0] > 10);  // a real range of pixels, not a flat grey that any output would match
  return cv::norm(output, reference, cv::NORM_INF) / 255.0;
}

}  // namespace

// 8-bit outputs: one level of rounding (1/255) is allowed.
TEST_CASE("translate parity: CycleGAN ResNet-9 whole image path vs PyTorch", "[plugin][translate][parity]") {
  const Export cyclegan{"cyclegan", "cyclegan-resnet9.onnx", "width: 256, height: 256, dynamic_size: true"};
  REQUIRE(cyclegan.image("cyclegan_input.png").cols % 4 != 0);  // the padding path is exercised
  const double max_rel_err = parity(cyclegan, "cyclegan");
  std::cout << "parity translate max_rel_err=" << max_rel_err << "\n";
  CHECK(max_rel_err <= 1.0 / 255.0);
}

TEST_CASE("translate parity: pix2pix U-Net-256 whole image path vs PyTorch", "[plugin][translate][parity]") {
  const Export pix2pix{"pix2pix", "pix2pix-unet256.onnx", "width: 256, height: 256"};
  const double max_rel_err = parity(pix2pix, "pix2pix");
  std::cout << "parity pix2pix max_rel_err=" << max_rel_err << "\n";
  CHECK(max_rel_err <= 1.0 / 255.0);
}
