// colorize parity: the plugin against the PyTorch reference of the same image
// path that tools/export/colorization.py writes for a real photo
// (skimage-formula rgb->Lab, L resized bilinearly to 256, the network as
// richzhang/colorization builds it, annealed mean at T = 0.38 over the 313 bins
// for ECCV16, ab upsampled to 256 and then to the photo, recombined with the
// photo's L, Lab->rgb, rounded to 8 bits). Two levels are compared:
//  - tensor domain: the ab planes at 256x256 before the final resize, from the
//    plugin's own Colorizer (engine + decoding), relative to the largest |ab|;
//  - the 8-bit picture the plugin node outputs: at most one level of rounding.
// Needs tools/export/colorization.py --out ${NEUROPIPE_CACHE_DIR:-~/.cache/neuropipe}/exports/colorization.
#include <catch2/catch.hpp>
#include <fstream>
#include <iostream>
#include <opencv2/imgcodecs.hpp>

#include "ab_bins.hpp"
#include "colorize_exports.hpp"
#include "colorizer.hpp"
#include "lab_color.hpp"
#include "neuropipe/models/store.hpp"
#include "neuropipe/nn/model.hpp"
#include "neuropipe/plugin/host.hpp"
#include "test_support.hpp"

using namespace neuropipe;

namespace {

struct Case {
  std::string model;  // manifest entry
  std::string short_name;
};

// [2,256,256] float32 planes written by the recipe, as 256x256 CV_32FC2.
cv::Mat read_ab256(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::vector<float> data(2 * 256 * 256);
  in.read(reinterpret_cast<char*>(data.data()), std::streamsize(data.size() * sizeof(float)));
  REQUIRE(in.gcount() == std::streamsize(data.size() * sizeof(float)));
  cv::Mat ab;
  cv::merge(std::vector<cv::Mat>{cv::Mat(256, 256, CV_32F, data.data()),
                                 cv::Mat(256, 256, CV_32F, data.data() + 256 * 256)},
            ab);
  return ab;
}

// max |plugin - reference| / max |reference| of the ab planes at 256x256.
double tensor_parity(const Case& c, const cv::Mat& photo) {
  const auto manifest = models::Manifest::load(test::source_dir() / "assets/models.yaml");
  const models::ModelEntry& entry = manifest.at(c.model);
  colorize::Colorizer colorizer(entry, nn::Model::load(test::colorization_export(c.model + ".onnx")),
                                colorize::manifest_ab_bins(entry, test::source_dir() / "assets"));
  std::vector<cv::Mat> lab;
  cv::split(colorize::bgr_to_lab(photo), lab);
  const cv::Mat ab = colorizer.predict_ab(lab[0], 0.38);
  const cv::Mat reference = read_ab256(test::colorization_export(c.short_name + "_ab256.f32"));
  REQUIRE(ab.size() == reference.size());
  double lo = 0, hi = 0;
  cv::minMaxLoc(reference.reshape(1), &lo, &hi);
  const double scale = std::max(std::abs(lo), std::abs(hi));
  cv::Scalar mean, spread;
  cv::meanStdDev(reference.reshape(1), mean, spread);
  CHECK(spread[0] > 5.0);  // a real spread of colours, not a flat prediction any output would match
  return cv::norm(ab, reference, cv::NORM_INF) / scale;
}

// Largest 8-bit difference between the plugin node's picture and the reference.
double image_parity(const Case& c, const cv::Mat& photo, int& differing) {
  plugin::PluginRegistry registry;
  registry.add_library(test::binary_dir() / "plugins" / "lib" / "libneuropipe_colorize.so");
  auto node = registry.create(
      "colorize", "colorize",
      {{"model", c.model}, {"model_file", test::colorization_export(c.model + ".onnx").string()}});
  Frame frame(photo.clone(), FrameOrigin{});
  node->process(frame);
  const cv::Mat reference =
      cv::imread(test::colorization_export(c.short_name + "_reference.png").string(), cv::IMREAD_COLOR);
  REQUIRE(frame.image().size() == reference.size());
  cv::Mat diff;
  cv::absdiff(frame.image(), reference, diff);
  differing = cv::countNonZero(diff.reshape(1));
  CHECK(cv::norm(reference, photo, cv::NORM_L1) / photo.total() > 10);  // the colours did change
  return cv::norm(diff, cv::NORM_INF);
}

void check_parity(const Case& c, const std::string& label) {
  const cv::Mat photo = cv::imread(test::colorization_export("colorize_input.png").string(), cv::IMREAD_COLOR);
  REQUIRE(!photo.empty());
  REQUIRE(photo.size() != cv::Size(256, 256));  // both resizes are exercised
  const double max_rel_err = tensor_parity(c, photo);
  int differing = 0;
  const double levels = image_parity(c, photo, differing);
  std::cout << "parity " << label << " max_rel_err=" << max_rel_err << " (ab at 256x256); 8-bit image: max "
            << levels << " level(s), " << differing << " of " << photo.total() * 3 << " values differ\n";
  CHECK(max_rel_err < 1e-3);
  CHECK(levels <= 1.0);
}

}  // namespace

TEST_CASE("colorize parity: ECCV16 annealed mean, whole image path vs PyTorch", "[colorize][parity]") {
  check_parity({"colorization-eccv16", "eccv16"}, "colorize");
}

TEST_CASE("colorize parity: SIGGRAPH17, whole image path vs PyTorch", "[colorize][parity]") {
  check_parity({"colorization-siggraph17", "siggraph17"}, "colorize-siggraph17");
}
