// segment: semantic segmentation with any model in the manifest whose output
// is per-class logits or a person probability. Attaches a SegmentationMask
// (class id per pixel at frame size, area fraction per class), can keep only
// chosen classes, write each mask as a PNG, and apply a picture effect:
// a palette wash, or background blur / replacement behind foreground classes.
#include <algorithm>
#include <neuropipe/nn/session_pool.hpp>
#include <neuropipe/plugin/sdk.hpp>
#include <neuropipe/plugin/vision.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <optional>

#include "class_map.hpp"
#include "effects.hpp"
#include "mask_files.hpp"

namespace np = neuropipe;
namespace fs = std::filesystem;
using namespace np::plugin;

namespace {

enum class Effect { none, palette, blur, replace };

Effect parse_effect(const std::string& text) {
  if (text == "none") return Effect::none;
  if (text == "palette") return Effect::palette;
  if (text == "blur") return Effect::blur;
  if (text == "replace") return Effect::replace;
  throw np::Error("unknown effect '" + text + "' (none, palette, blur or replace)");
}

// "#RRGGBB" or "R,G,B" to a BGR colour.
cv::Vec3b parse_colour(const std::string& text) {
  unsigned r = 0, g = 0, b = 0;
  char end = 0;
  const bool hex =
      text.size() == 7 && text[0] == '#' && std::sscanf(text.c_str(), "#%2x%2x%2x%c", &r, &g, &b, &end) == 3;
  const bool triple = !hex && std::sscanf(text.c_str(), "%u,%u,%u%c", &r, &g, &b, &end) == 3;
  if (!(hex || triple) || std::max({r, g, b}) > 255)
    throw np::Error("parameter 'background_color': '" + text + "' is not #RRGGBB or R,G,B (0..255)");
  return cv::Vec3b(uint8_t(b), uint8_t(g), uint8_t(r));
}

// Class ids of `names` in `classes`; throws naming an unknown one and the choices.
std::vector<int> class_ids(const std::vector<std::string>& names, const std::vector<std::string>& classes,
                           const std::string& param, const std::string& model) {
  std::vector<int> ids;
  for (const auto& name : names) {
    auto it = std::find(classes.begin(), classes.end(), name);
    if (it == classes.end()) {
      std::string known;
      for (const auto& c : classes) known += (known.empty() ? "" : ", ") + c;
      throw np::Error("parameter '" + param + "': model '" + model + "' has no class '" + name + "' (" +
                      known + ")");
    }
    ids.push_back(int(it - classes.begin()));
  }
  return ids;
}

class Segment : public Node {
 public:
  Segment(const Params& p, Context& ctx)
      : model_name_(p.get<std::string>("model")),
        entry_(ctx.models().info(model_name_)),
        resize_(parse_resize_mode(p.get<std::string>("resize"))),
        threshold_(static_cast<float>(p.get<double>("threshold"))),
        effect_(parse_effect(p.get<std::string>("effect"))),
        alpha_(p.get<double>("alpha")),
        blur_radius_(p.get<int>("blur_radius")),
        feather_(p.get<int>("feather")),
        background_colour_(parse_colour(p.get<std::string>("background_color"))),
        mask_dir_(p.get<fs::path>("mask_dir")) {
    if (!entry_.input) throw np::Error("model '" + model_name_ + "' has no input spec in the manifest");
    if (entry_.outputs.empty())
      throw np::Error("model '" + model_name_ + "' lists no outputs in the manifest");
    decoding_ =
        np::segment::parse_decoding(entry_.outputs.front().decoding, entry_.extra.value("output_layout", ""));
    class_names_ = decoding_ == np::segment::Decoding::person_prob
                       ? std::vector<std::string>{"background", "person"}
                       : ctx.models().labels(model_name_);
    keep_ = keep_table(
        class_ids(p.get<std::vector<std::string>>("classes"), class_names_, "classes", model_name_));
    foreground_ids_ =
        class_ids(p.get<std::vector<std::string>>("foreground"), class_names_, "foreground", model_name_);
    palette_ = entry_.extra.contains("palette")
                   ? np::segment::load_palette(ctx.models().config().assets_dir /
                                               entry_.extra["palette"].get<std::string>())
                   : np::segment::generated_palette();
    if (const auto image = p.get<fs::path>("background_image"); !image.empty()) {
      background_image_ = cv::imread(image.string(), cv::IMREAD_COLOR);
      if (background_image_.empty())
        throw np::Error("parameter 'background_image': cannot read image " + image.string());
    }
    sessions_ = std::make_unique<np::nn::SessionPool>(ctx.load_store_model(model_name_));
  }

  void process(np::Frame& frame, Context& ctx) override {
    const cv::Mat image = frame.image();
    if (image.empty()) throw np::Error("frame " + std::to_string(frame.origin().index) + " has no image");
    const auto input = prepare_input(image, *entry_.input, resize_);
    auto outputs = sessions_->run({{entry_.input->tensor, input.tensor}});
    const auto& output_name = entry_.outputs.front().name;
    auto it = outputs.find(output_name);
    if (it == outputs.end())
      throw np::Error("model '" + model_name_ + "' has no output '" + output_name + "'");

    auto map = np::segment::decode(it->second, decoding_, input.fit, threshold_);
    if (!keep_.empty()) cv::LUT(map.labels, keep_, map.labels);
    if (!mask_dir_.empty())
      np::segment::write_mask_png(map.labels, mask_dir_, np::segment::mask_file_name(frame.origin()));
    if (effect_ != Effect::none) frame.set_image(apply_effect(image, map));

    auto mask = std::make_shared<np::SegmentationMask>();
    mask->area_fraction =
        area_fractions(map.labels, std::max<size_t>(class_names_.size(), size_t(map.num_classes)));
    mask->labels = std::move(map.labels);
    mask->confidence = std::move(map.confidence);
    mask->class_names = class_names_;
    frame.put(ctx.node_name(), std::move(mask));
  }

 private:
  // A lookup table mapping every class not in `ids` to background (0); empty = keep all.
  static cv::Mat keep_table(const std::vector<int>& ids) {
    if (ids.empty()) return {};
    cv::Mat lut = cv::Mat::zeros(1, 256, CV_8UC1);
    for (int id : ids) lut.at<uint8_t>(0, id) = uint8_t(id);
    return lut;
  }

  static std::vector<float> area_fractions(const cv::Mat& labels, size_t classes) {
    std::vector<double> counts(256, 0.0);
    for (int y = 0; y < labels.rows; ++y) {
      const uint8_t* row = labels.ptr<uint8_t>(y);
      for (int x = 0; x < labels.cols; ++x) counts[row[x]] += 1.0;
    }
    std::vector<float> fractions(classes, 0.f);
    const double total = double(labels.total());
    for (size_t c = 0; c < classes && c < counts.size(); ++c) fractions[c] = float(counts[c] / total);
    return fractions;
  }

  cv::Mat apply_effect(const cv::Mat& image, const np::segment::ClassMap& map) const {
    if (effect_ == Effect::palette) return np::segment::palette_wash(image, map.labels, palette_, alpha_);
    const cv::Mat matte =
        np::segment::foreground_matte(map.labels, map.confidence, foreground_ids_, feather_);
    return np::segment::composite(image, background_for(image), matte);
  }

  cv::Mat background_for(const cv::Mat& image) const {
    if (effect_ == Effect::blur) return np::segment::blurred(image, blur_radius_);
    if (background_image_.empty()) return cv::Mat(image.size(), CV_8UC3, cv::Scalar(background_colour_));
    cv::Mat fitted;
    cv::resize(background_image_, fitted, image.size(), 0, 0, cv::INTER_AREA);
    return fitted;
  }

  std::string model_name_;
  np::models::ModelEntry entry_;
  ResizeMode resize_;
  float threshold_;
  Effect effect_;
  double alpha_;
  int blur_radius_;
  int feather_;
  cv::Vec3b background_colour_;
  fs::path mask_dir_;
  np::segment::Decoding decoding_{};
  std::vector<std::string> class_names_;
  cv::Mat keep_;
  std::vector<int> foreground_ids_;
  cv::Mat palette_;
  cv::Mat background_image_;
  std::unique_ptr<np::nn::SessionPool> sessions_;
};

}  // namespace

NEUROPIPE_PLUGIN(
    Segment,
    {.name = "segment",
     .version = "1.0.0",
     .description =
         "Semantic segmentation: class per pixel, class areas, mask PNGs, palette/blur/replace effects",
     .params =
         {param::text("model", "deeplabv3-mobilenetv2-voc", "segmentation model name in assets/models.yaml"),
          param::text("resize", "stretch", "how the frame is fitted to the model input")
              .one_of({"stretch", "letterbox"}),
          param::real("threshold", 0.5, "person_prob models: probability that counts as person")
              .between(0, 1),
          param::text_list("classes", {}, "keep only these classes (others become background); empty = all"),
          param::text("effect", "none",
                      "picture effect: none, palette (class colours), blur or replace "
                      "(the background behind the foreground classes)")
              .one_of({"none", "palette", "blur", "replace"}),
          param::real("alpha", 0.5, "palette: weight of the class colour").between(0, 1),
          param::text_list("foreground", {"person"}, "blur/replace: classes kept sharp in front"),
          param::integer("blur_radius", 25, "blur: strength of the background blur in pixels")
              .between(1, 200),
          param::text("background_color", "#00b140", "replace: background colour, #RRGGBB or R,G,B"),
          param::path("background_image", "", "replace: background picture (instead of the colour)"),
          param::integer("feather", 5, "blur/replace: softness of the cut-out edge in pixels").between(0, 50),
          param::path("mask_dir", "", "write each mask (class id per pixel) as a PNG into this folder")},
     .reads = {},
     .writes = {"mask", "image"},
     .concurrent = true});
