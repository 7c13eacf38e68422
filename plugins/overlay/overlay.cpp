// overlay: draws the results earlier nodes attached to a frame — detections
// (each object once, as the last node that refined it left it),
// classifications, segmentation masks, captions — and optionally the frame
// rate, sized for the frame so it reads from 480p to 4K.
#include <chrono>
#include <cstdio>
#include <mutex>
#include <optional>

#include <neuropipe/plugin/sdk.hpp>

#include "draw_detections.hpp"
#include "draw_list.hpp"
#include "draw_mask.hpp"
#include "draw_text.hpp"
#include "style.hpp"

namespace np = neuropipe;
using namespace np::plugin;

namespace {

// Frames per second seen by this node, smoothed over the last ~second.
class FpsMeter {
 public:
  double tick() {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (last_) {
      const double seconds = std::chrono::duration<double>(now - *last_).count();
      if (seconds > 0) fps_ = fps_ == 0 ? 1.0 / seconds : 0.9 * fps_ + 0.1 / seconds;
    }
    last_ = now;
    return fps_;
  }

 private:
  std::mutex mutex_;
  std::optional<std::chrono::steady_clock::time_point> last_;
  double fps_ = 0;
};

class Overlay : public Node {
 public:
  explicit Overlay(const Params& p)
      : detection_options_{p.get<bool>("boxes"), p.get<bool>("labels"), p.get<bool>("scores"),
                           p.get<bool>("landmarks"), p.get<bool>("identities")},
        draw_classifications_(p.get<bool>("classifications")),
        top_k_(p.get<int>("top_k")),
        draw_mask_(p.get<bool>("mask")),
        mask_alpha_(p.get<double>("mask_alpha")),
        draw_caption_(p.get<bool>("caption")),
        draw_fps_(p.get<bool>("fps")),
        font_scale_(p.get<double>("font_scale")) {}

  void process(np::Frame& frame, Context&) override {
    cv::Mat image = frame.image().clone();  // branches may share the original pixels
    if (image.empty()) throw np::Error("frame " + std::to_string(frame.origin().index) + " has no image");
    const auto style = np::overlay::Style::for_frame(image.size(), font_scale_);
    const auto metadata = frame.all_metadata();

    // Masks first: boxes and text must stay on top of the colour wash.
    for (const auto& [key, item] : metadata)
      if (auto mask = dynamic_cast<const np::SegmentationMask*>(item.get()); mask && draw_mask_)
        np::overlay::draw_mask(image, *mask, mask_alpha_);
    std::vector<const np::Detections*> detection_lists;
    for (const auto& [key, item] : metadata)
      if (auto detections = dynamic_cast<const np::Detections*>(item.get())) detection_lists.push_back(detections);
    np::overlay::draw_detections(image, np::overlay::detections_to_draw(detection_lists), detection_options_,
                                 style);

    std::vector<std::string> corner_lines;
    if (draw_fps_) corner_lines.push_back(format("%.1f fps", fps_.tick()));
    if (draw_classifications_)
      for (const auto& [key, item] : metadata)
        if (auto c = dynamic_cast<const np::Classifications*>(item.get())) add_top_k(*c, corner_lines);
    np::overlay::draw_lines(image, corner_lines, {0, 0}, style);

    if (draw_caption_)
      if (auto caption = frame.latest<np::Caption>(); caption && !caption->text.empty())
        np::overlay::draw_subtitle(image, caption->text, style);
    frame.set_image(image);
  }

 private:
  static std::string format(const char* pattern, double value) {
    char text[64];
    std::snprintf(text, sizeof text, pattern, value);
    return text;
  }

  // Whole-frame classifications only: per-box ones label their detections' boxes.
  void add_top_k(const np::Classifications& classifications, std::vector<std::string>& lines) const {
    const auto& top = classifications.top;
    for (size_t i = 0; i < top.size() && i < static_cast<size_t>(top_k_); ++i)
      lines.push_back(top[i].label + format(" %.2f", top[i].score));
  }

  np::overlay::DetectionOptions detection_options_;
  bool draw_classifications_;
  int top_k_;
  bool draw_mask_;
  double mask_alpha_;
  bool draw_caption_;
  bool draw_fps_;
  double font_scale_;
  FpsMeter fps_;
};

}  // namespace

NEUROPIPE_PLUGIN(Overlay,
                 {.name = "overlay",
                  .version = "1.0.0",
                  .description = "Draws detections, classifications, masks, captions and fps onto the frame",
                  .params = {param::boolean("boxes", true, "draw detection boxes"),
                             param::boolean("labels", true, "write each box's class label"),
                             param::boolean("scores", true, "write each box's score"),
                             param::boolean("landmarks", true, "draw landmark points (e.g. face keypoints)"),
                             param::boolean("identities", true, "write track ids and face identities"),
                             param::boolean("classifications", true, "list the top classes in the corner"),
                             param::integer("top_k", 3, "how many classes to list").between(1, 20),
                             param::boolean("mask", true, "blend segmentation masks over the picture"),
                             param::real("mask_alpha", 0.5, "mask colour weight").between(0, 1),
                             param::boolean("caption", true, "show the caption as a subtitle"),
                             param::boolean("fps", false, "show the frame rate this node sees"),
                             param::real("font_scale", 1.0, "multiplies the automatic text size")
                                 .between(0.25, 4)},
                  .reads = {"detections?", "classifications?", "mask?", "caption?"},
                  .writes = {"image"},
                  .concurrent = true});
