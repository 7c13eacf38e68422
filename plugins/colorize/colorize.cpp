// colorize: automatic colorization of grey (or colour) pictures with Zhang et
// al.'s networks from the model manifest: ECCV 2016 "Colorful Image
// Colorization" (a distribution over 313 quantised ab bins per pixel, decoded
// by the annealed mean at `temperature`) and the SIGGRAPH 2017 network without
// user hints (ab regressed directly). The prediction replaces the frame's
// colour channels and keeps its L (lightness) exactly; `strength` blends it
// with the frame's own colours. Each frame gets a "colorization" record with
// the model, the settings and how colourful the input and output are.
#include <memory>

#include <opencv2/imgproc.hpp>

#include <neuropipe/plugin/sdk.hpp>

#include "colorizer.hpp"

namespace np = neuropipe;
using namespace np::plugin;

namespace {

std::unique_ptr<np::colorize::Colorizer> load_colorizer(const std::string& name, const std::string& file,
                                                        Context& ctx) {
  np::models::ModelStore& store = ctx.models();
  const np::models::ModelEntry& entry = store.info(name);
  if (entry.task != "colorize")
    throw np::Error("model '" + name + "' is a '" + entry.task + "' model, not a colorize model");
  if (!file.empty() && !std::filesystem::exists(file))
    throw np::Error("parameter 'model_file': " + file + " does not exist");
  auto bins = np::colorize::manifest_ab_bins(entry, store.config().assets_dir);
  auto model = file.empty() ? ctx.load_store_model(name) : ctx.load_model(file);
  return std::make_unique<np::colorize::Colorizer>(entry, std::move(model), std::move(bins));
}

class Colorize : public Node {
 public:
  Colorize(const Params& p, Context& ctx)
      : model_name_(p.get<std::string>("model")),
        temperature_(p.get<double>("temperature")),
        strength_(p.get<double>("strength")),
        side_by_side_(p.get<std::string>("output") == "side_by_side"),
        colorizer_(load_colorizer(model_name_, p.get<std::string>("model_file"), ctx)) {}

  void process(np::Frame& frame, Context& ctx) override {
    const cv::Mat image = frame.image();
    if (image.empty()) throw np::Error("frame " + std::to_string(frame.origin().index) + " has no image");
    np::colorize::Colorized result;
    if (strength_ > 0.0) {
      result = colorizer_->colorize(image, temperature_, strength_);
    } else {  // nothing to blend in: the input, untouched (no Lab round trip)
      result.bgr = image;
    }
    frame.set_image(side_by_side_ ? beside(image, result.bgr) : result.bgr);
    auto record = std::make_shared<np::JsonMetadata>();
    record->kind_name = "colorization";
    record->value = {{"model", model_name_},
                     {"decoding", colorizer_->uses_bins() ? "annealed_mean" : "ab"},
                     {"temperature", temperature_},
                     {"strength", strength_},
                     {"input_chroma", result.input_chroma},
                     {"output_chroma", strength_ > 0.0 ? result.output_chroma : result.input_chroma}};
    frame.put(ctx.node_name(), std::move(record));
  }

 private:
  static cv::Mat beside(const cv::Mat& left, const cv::Mat& right) {
    cv::Mat both;
    cv::hconcat(left, right, both);
    return both;
  }

  std::string model_name_;
  double temperature_, strength_;
  bool side_by_side_;
  std::unique_ptr<np::colorize::Colorizer> colorizer_;
};

}  // namespace

NEUROPIPE_PLUGIN(
    Colorize,
    {.name = "colorize",
     .version = "1.0.0",
     .description = "Automatic colorization (Zhang et al. ECCV16 / SIGGRAPH17) keeping the frame's lightness",
     .params =
         {param::text("model", "colorization-eccv16", "colorize model in assets/models.yaml"),
          param::path("model_file", "",
                      "ONNX file to run instead of fetching the store's (these models are 'offline: export'); "
                      "the manifest entry `model` still describes it"),
          param::real("temperature", 0.38,
                      "annealed-mean temperature for bin models (ECCV16): 1 = mean (muted), towards 0 = mode "
                      "(vivid, patchy); ignored by models that predict ab directly")
              .between(0.01, 1),
          param::real("strength", 1.0, "blend of predicted (1) and original (0) colours; lightness is kept")
              .between(0, 1),
          param::text("output", "replace", "replace the frame, or show original and result side by side")
              .one_of({"replace", "side_by_side"})},
     .writes = {"image", "colorization"},
     .concurrent = true});
