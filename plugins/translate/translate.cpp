// translate: unpaired/paired image-to-image translation with a generator
// from the model manifest: the real compressed CycleGAN horse->zebra
// (GAN-Compression, any size multiple of 4) and pix2pix U-Net generators.
// Frames larger than the model's working size are either scaled down and
// back (`policy: resize`) or run in overlapping tiles whose seams are
// cross-faded (`policy: tile`). The result replaces the frame or is shown
// beside it.
#include <memory>
#include <mutex>

#include <opencv2/imgproc.hpp>

#include <neuropipe/plugin/sdk.hpp>

#include "generator.hpp"
#include "tiling.hpp"

namespace np = neuropipe;
using namespace np::plugin;

namespace {

class Translate : public Node {
 public:
  explicit Translate(const Params& p)
      : model_name_(p.get<std::string>("model")),
        tiled_(p.get<std::string>("policy") == "tile"),
        max_size_(p.get<int>("max_size")),
        tile_size_(p.get<int>("tile_size")),
        overlap_(p.get<int>("overlap")),
        strength_(p.get<double>("strength")),
        side_by_side_(p.get<std::string>("output") == "side_by_side") {
    if (overlap_ >= tile_size_)
      throw np::Error("parameter 'overlap' (" + std::to_string(overlap_) +
                      ") must be smaller than 'tile_size' (" + std::to_string(tile_size_) + ")");
  }

  void process(np::Frame& frame, Context& ctx) override {
    const cv::Mat image = frame.image();
    if (image.empty()) throw np::Error("frame " + std::to_string(frame.origin().index) + " has no image");
    const cv::Mat translated = strength_ > 0.0 ? blend(translate(generator(ctx), image), image) : image;
    frame.set_image(side_by_side_ ? beside(image, translated) : translated);
  }

 private:
  np::translate::Generator& generator(Context& ctx) {
    std::call_once(loaded_,
                   [&] { generator_ = std::make_unique<np::translate::Generator>(model_name_, ctx); });
    return *generator_;
  }

  cv::Mat translate(np::translate::Generator& g, const cv::Mat& image) const {
    auto run = [&g](const cv::Mat& part) { return g.run(part); };
    if (tiled_) {
      const cv::Size tile = g.any_size() ? cv::Size(tile_size_, tile_size_) : g.fixed_size();
      return np::translate::run_tiled(image, tile, overlap_, run);
    }
    const cv::Size work = working_size(g, image.size());
    if (work == image.size()) return g.run(image);
    cv::Mat small, result;
    cv::resize(image, small, work, 0, 0, cv::INTER_AREA);
    cv::resize(g.run(small), result, image.size(), 0, 0, cv::INTER_LINEAR);
    return result;
  }

  // Fixed-size models: their size. Others: the frame, scaled so its long
  // side is at most max_size (0 = never scaled).
  cv::Size working_size(const np::translate::Generator& g, cv::Size frame) const {
    if (!g.any_size()) return g.fixed_size();
    const int long_side = std::max(frame.width, frame.height);
    if (max_size_ == 0 || long_side <= max_size_) return frame;
    const double s = double(max_size_) / long_side;
    return {std::max(1, int(std::lround(frame.width * s))), std::max(1, int(std::lround(frame.height * s)))};
  }

  cv::Mat blend(const cv::Mat& translated, const cv::Mat& original) const {
    if (strength_ >= 1.0) return translated;
    cv::Mat out;
    cv::addWeighted(translated, strength_, original, 1.0 - strength_, 0.0, out);
    return out;
  }

  static cv::Mat beside(const cv::Mat& left, const cv::Mat& right) {
    cv::Mat both;
    cv::hconcat(left, right, both);
    return both;
  }

  std::string model_name_;
  bool tiled_;
  int max_size_, tile_size_, overlap_;
  double strength_;
  bool side_by_side_;
  std::once_flag loaded_;
  std::unique_ptr<np::translate::Generator> generator_;
};

}  // namespace

NEUROPIPE_PLUGIN(
    Translate,
    {.name = "translate",
     .version = "1.0.0",
     .description = "Image-to-image translation (CycleGAN, pix2pix) with any generator in the model manifest",
     .params =
         {param::text("model", "cyclegan-horse2zebra-compressed", "generator name in assets/models.yaml"),
          param::text("policy", "resize",
                      "frames larger than the working size: resize (scale down, translate, scale back) or "
                      "tile (overlapping tiles, seams cross-faded)")
              .one_of({"resize", "tile"}),
          param::integer("max_size", 512, "resize policy: longest side the generator sees (0 = full size)")
              .between(0, 8192),
          param::integer("tile_size", 256, "tile policy: tile side for any-size models (training size)")
              .between(16, 4096),
          param::integer("overlap", 32, "tile policy: pixels shared by neighbouring tiles").between(0, 2048),
          param::real("strength", 1.0, "blend of translated (1) and original (0) pixels").between(0, 1),
          param::text("output", "replace", "replace the frame, or show original and result side by side")
              .one_of({"replace", "side_by_side"})},
     .writes = {"image"},
     .concurrent = true});
