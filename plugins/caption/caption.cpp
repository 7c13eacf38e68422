// caption: describes frames in words with Show and Tell (Vinyals et al.): a
// CNN encoder (once per captioned frame) and an LSTM decoder run word by word
// on the engine, greedy or beam search with length normalisation. On video it
// captions every Nth frame and on scene changes; the frames in between carry
// the last caption (under "<node>.held") so the overlay keeps the subtitle on
// screen. The model comes from the manifest (`model`) or from explicit files.
#include <memory>
#include <mutex>
#include <neuropipe/plugin/sdk.hpp>

#include "caption_schedule.hpp"
#include "show_and_tell.hpp"

namespace np = neuropipe;
using namespace np::plugin;

namespace {

np::caption::DecodeOptions decode_options(const Params& p) {
  np::caption::DecodeOptions o;
  o.beam_width = p.get<std::string>("search") == "greedy" ? 1 : p.get<int>("beam_width");
  o.length_penalty = p.get<double>("length_penalty");
  o.max_length = p.get<int>("max_length");
  return o;
}

class CaptionNode : public Node {
 public:
  explicit CaptionNode(const Params& p)
      : model_name_(p.get<std::string>("model")),
        files_{p.get<std::filesystem::path>("encoder"), p.get<std::filesystem::path>("decoder"),
               p.get<std::filesystem::path>("vocab")},
        options_(decode_options(p)),
        hold_(p.get<bool>("hold")),
        schedule_(p.get<int>("every_n_frames"), p.get<double>("scene_change_threshold")) {
    const int given = !files_.encoder.empty() + !files_.decoder.empty() + !files_.vocab.empty();
    if (given != 0 && given != 3)
      throw np::Error("parameters 'encoder', 'decoder' and 'vocab' go together: set all three or none");
  }

  void process(np::Frame& frame, Context& ctx) override {
    const cv::Mat image = frame.image();
    if (image.empty()) throw np::Error("frame " + std::to_string(frame.origin().index) + " has no image");
    const auto& origin = frame.origin();
    if (schedule_.wants_caption(origin.stream_id, origin.index, image)) {
      auto caption = std::make_shared<np::Caption>(model(ctx).describe(image, options_));
      schedule_.finished(origin.stream_id, origin.index, caption);
      ctx.log().debug("frame {}: '{}' ({:.3f})", origin.index, caption->text, caption->score);
      frame.put(ctx.node_name(), std::move(caption));
    } else if (hold_) {
      if (auto held = schedule_.latest_before(origin.stream_id, origin.index))
        frame.put(ctx.node_name() + ".held", held);
    }
  }

 private:
  np::caption::ShowAndTell& model(Context& ctx) {
    std::call_once(loaded_, [&] {
      const auto& entry = ctx.models().info(model_name_);
      if (!entry.input) throw np::Error("model '" + model_name_ + "' has no input spec in the manifest");
      const auto files =
          files_.encoder.empty() ? np::caption::manifest_files(ctx.models(), model_name_) : files_;
      model_ = std::make_unique<np::caption::ShowAndTell>(files, *entry.input, ctx);
    });
    return *model_;
  }

  std::string model_name_;
  np::caption::ModelFiles files_;
  np::caption::DecodeOptions options_;
  bool hold_;
  np::caption::CaptionSchedule schedule_;
  std::once_flag loaded_;
  std::unique_ptr<np::caption::ShowAndTell> model_;
};

}  // namespace

NEUROPIPE_PLUGIN(
    CaptionNode,
    {.name = "caption",
     .version = "1.0.0",
     .description = "Image captioning (Show and Tell: CNN encoder + LSTM decoder), greedy or beam search",
     .params =
         {param::text("model", "show-and-tell",
                      "captioner in assets/models.yaml (its input spec is the encoder's pre-processing)"),
          param::path("encoder", "",
                      "encoder ONNX (image -> feature); with decoder and vocab, instead of the "
                      "manifest's files"),
          param::path("decoder", "", "decoder-step ONNX (token/feature, h, c -> log_probs, h_out, c_out)"),
          param::path("vocab", "", "vocabulary, one word per line (line number = token id)"),
          param::text("search", "beam", "greedy (most likely word each step) or beam search")
              .one_of({"greedy", "beam"}),
          param::integer("beam_width", 3, "beam search: hypotheses kept each step").between(1, 32),
          param::real("length_penalty", 0.7,
                      "beam and greedy scores: sum(log p) / length^length_penalty (0 = raw sum)")
              .between(0, 3),
          param::integer("max_length", 20, "most words in a caption, <end> included").between(1, 100),
          param::integer("every_n_frames", 1,
                         "video: caption frames whose index is a multiple of this (0 = only the first frame "
                         "and scene changes)")
              .between(0, 1000000),
          param::real("scene_change_threshold", 0.0,
                      "video: caption again when a frame differs from the one before by more than this "
                      "mean grey-level difference (0..255; 0 = off)")
              .between(0, 255),
          param::boolean("hold", true,
                         "frames between captions carry the last caption (under '<node>.held') so the "
                         "subtitle stays on screen")},
     .writes = {"caption"},
     .ordered = true});  // one frame at a time, in order: the schedule compares neighbours
