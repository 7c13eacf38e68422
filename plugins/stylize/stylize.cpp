// stylize: fast neural style transfer (Johnson et al., "Perceptual Losses for
// Real-Time Style Transfer", 2016). The four real Johnson models are chosen by
// `style`; `model` takes any other TransformerNet-style network described in
// the manifest. Frames are letterboxed into the fixed model input and the
// valid region is scaled back, `strength` blends with the original, and on
// video a temporal blend steadies the texture of static regions.
#include <map>
#include <memory>
#include <mutex>

#include <neuropipe/plugin/sdk.hpp>
#include <neuropipe/plugin/vision.hpp>

#include "style_model.hpp"
#include "temporal_blend.hpp"

namespace np = neuropipe;
using namespace np::plugin;

namespace {

class Stylize : public Node {
 public:
  explicit Stylize(const Params& p)
      : model_name_(p.get<std::string>("model").empty() ? "johnson-" + p.get<std::string>("style")
                                                        : p.get<std::string>("model")),
        fit_(parse_resize_mode(p.get<std::string>("fit"))),
        strength_(p.get<double>("strength")),
        temporal_(static_cast<float>(p.get<double>("temporal"))),
        motion_threshold_(static_cast<float>(p.get<double>("motion_threshold"))) {}

  void process(np::Frame& frame, Context& ctx) override {
    np::Frame* one = &frame;
    process_batch(std::span<np::Frame* const>(&one, 1), ctx);
  }

  // One network call for the whole batch, then each frame in arrival order.
  void process_batch(std::span<np::Frame* const> frames, Context& ctx) override {
    if (strength_ <= 0.0) return;  // the original, untouched
    std::vector<cv::Mat> inputs;
    for (np::Frame* f : frames) {
      inputs.push_back(f->image());
      if (inputs.back().empty())
        throw np::Error("frame " + std::to_string(f->origin().index) + " has no image");
    }
    const std::vector<cv::Mat> styled = model(ctx).run(inputs);
    for (size_t i = 0; i < frames.size(); ++i) {
      const np::FrameOrigin& origin = frames[i]->origin();
      const cv::Mat steady = temporal(origin.stream_id).apply(inputs[i], styled[i], origin.index);
      frames[i]->set_image(blend_with_original(inputs[i], steady));
    }
  }

 private:
  np::stylize::StyleModel& model(Context& ctx) {
    std::call_once(loaded_,
                   [&] { model_ = std::make_unique<np::stylize::StyleModel>(model_name_, fit_, ctx); });
    return *model_;
  }

  np::stylize::TemporalBlend& temporal(int stream_id) {
    return temporal_state_.try_emplace(stream_id, temporal_, motion_threshold_).first->second;
  }

  cv::Mat blend_with_original(const cv::Mat& original, const cv::Mat& styled) const {
    if (strength_ >= 1.0) return styled;
    cv::Mat out;
    cv::addWeighted(styled, strength_, original, 1.0 - strength_, 0.0, out);
    return out;
  }

  std::string model_name_;
  ResizeMode fit_;
  double strength_;
  float temporal_, motion_threshold_;
  std::once_flag loaded_;
  std::unique_ptr<np::stylize::StyleModel> model_;
  std::map<int, np::stylize::TemporalBlend> temporal_state_;  // per source stream
};

}  // namespace

// Not concurrent: the temporal blend needs each stream's frames one after the
// other (ordered); the network itself still runs on all engine threads.
NEUROPIPE_PLUGIN(
    Stylize,
    {.name = "stylize",
     .version = "1.0.0",
     .description = "Fast neural style transfer (Johnson et al.) with temporal stability on video",
     .params =
         {param::text("style", "candy", "which of the four Johnson et al. models (johnson-<style>)")
              .one_of({"candy", "mosaic", "udnie", "la_muse"}),
          param::text("model", "", "any TransformerNet-style manifest entry; overrides `style` when set"),
          param::real("strength", 1.0, "blend of stylised (1) and original (0) pixels").between(0, 1),
          param::text("fit", "letterbox",
                      "fitting the frame to the fixed model input: letterbox (keeps aspect, the padding "
                      "is cropped away afterwards) or stretch")
              .one_of({"letterbox", "stretch"}),
          param::real("temporal", 0.6,
                      "video: share of the previous stylised frame kept where the scene is still "
                      "(0 = off)")
              .between(0, 0.95),
          param::real("motion_threshold", 20.0,
                      "video: grey-level change (0..255) from which a pixel counts as moving and is "
                      "not blended")
              .between(1, 255)},
     .writes = {"image"},
     .concurrent = false,
     .ordered = true,
     .batched = true});
