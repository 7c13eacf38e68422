// classify: runs an ImageNet-style classifier from the model manifest on the
// whole frame, or (ROI mode) on each box a previous node detected, and
// attaches the top-k labels. Pre-processing (size, layout, colour order,
// scale/mean/std, fp16) and decoding (softmax or logits) come from the
// manifest entry, so any classifier described there works unchanged.
#include <cstring>
#include <map>
#include <mutex>
#include <neuropipe/nn/session_pool.hpp>
#include <neuropipe/plugin/sdk.hpp>
#include <neuropipe/plugin/vision.hpp>

#include "class_scores.hpp"

namespace np = neuropipe;
using namespace np::plugin;

namespace {

class Classify : public Node {
 public:
  explicit Classify(const Params& p)
      : model_name_(p.get<std::string>("model")),
        top_k_(p.get<int>("top_k")),
        min_score_(static_cast<float>(p.get<double>("min_score"))),
        resize_(parse_resize_mode(p.get<std::string>("resize"))),
        roi_from_(p.get<std::string>("roi_from")),
        roi_margin_(static_cast<float>(p.get<double>("roi_margin"))),
        smoothing_(static_cast<float>(p.get<double>("smoothing"))),
        full_labels_(p.get<bool>("full_labels")) {}

  void process(np::Frame& frame, Context& ctx) override {
    const Setup& s = setup(ctx);
    const cv::Mat image = checked_image(frame);
    auto result = std::make_shared<np::Classifications>();
    if (roi_from_.empty()) {
      result->top = np::classify::top_k(smoothed(frame, classify(s, image)), top_k_, min_score_, s.labels);
    } else {
      auto boxes = frame.get_as<np::Detections>(roi_from_);
      if (!boxes) throw np::Error("no detections from node '" + roi_from_ + "' on this frame (roi_from)");
      for (const auto& d : boxes->items) {
        cv::Rect roi = margin_box(d.box, image.size());
        result->per_roi.push_back(
            roi.area() > 0 ? np::classify::top_k(classify(s, image(roi)), top_k_, min_score_, s.labels)
                           : std::vector<np::Classification>{});
      }
    }
    frame.put(ctx.node_name(), std::move(result));
  }

  // Whole frames of a model with a free batch dimension go through the model
  // together; fixed-batch models and ROI mode take them one at a time.
  void process_batch(std::span<np::Frame* const> frames, Context& ctx) override {
    const Setup& s = setup(ctx);
    if (!s.batchable || !roi_from_.empty() || frames.size() < 2) return Node::process_batch(frames, ctx);
    std::vector<np::nn::Tensor> inputs;
    for (np::Frame* frame : frames)
      inputs.push_back(prepare_input(checked_image(*frame), *s.entry.input, resize_).tensor);
    const auto probs = np::classify::batch_probabilities(run(s, stacked(inputs)), s.decoding);
    if (probs.size() != frames.size())
      throw np::Error("model '" + model_name_ + "' returned " + std::to_string(probs.size()) +
                      " results for " + std::to_string(frames.size()) + " frames");
    for (size_t i = 0; i < frames.size(); ++i) {
      auto result = std::make_shared<np::Classifications>();
      result->top = np::classify::top_k(smoothed(*frames[i], probs[i]), top_k_, min_score_, s.labels);
      frames[i]->put(ctx.node_name(), std::move(result));
    }
  }

  // End of the streams: `neuropipe batch` keeps this node for a whole folder
  // and calls finish() after each item (frames restart at index 0); a new
  // photo or video must not be averaged with the previous one's labels.
  void finish(Context&) override {
    std::lock_guard lock(smoothing_mutex_);
    smoothing_state_.clear();
  }

 private:
  static cv::Mat checked_image(const np::Frame& frame) {
    cv::Mat image = frame.image();
    if (image.empty()) throw np::Error("frame " + std::to_string(frame.origin().index) + " has no image");
    return image;
  }

  // [1,...] tensors of equal shape into one [N,...] tensor.
  static np::nn::Tensor stacked(const std::vector<np::nn::Tensor>& items) {
    np::nn::Shape shape = items.front().shape();
    shape[0] = static_cast<int64_t>(items.size());
    auto batch = np::nn::Tensor::empty(items.front().dtype(), shape);
    auto* out = static_cast<uint8_t*>(batch.raw());
    for (const auto& item : items)
      out = static_cast<uint8_t*>(std::memcpy(out, item.raw(), item.bytes())) + item.bytes();
    return batch;
  }
  // The model, its manifest entry and labels, loaded on the first frame.
  struct Setup {
    np::models::ModelEntry entry;
    std::unique_ptr<np::nn::SessionPool> sessions;
    std::vector<std::string> labels;
    std::string output, decoding;
    bool batchable = false;  // the model's input has a free (symbolic) batch dimension
  };

  const Setup& setup(Context& ctx) {
    std::call_once(loaded_, [&] {
      setup_.entry = ctx.models().info(model_name_);
      if (!setup_.entry.input)
        throw np::Error("model '" + model_name_ + "' has no input spec in the manifest");
      if (setup_.entry.outputs.empty()) throw np::Error("model '" + model_name_ + "' lists no outputs");
      setup_.sessions = std::make_unique<np::nn::SessionPool>(ctx.load_store_model(model_name_));
      setup_.labels = ctx.models().labels(model_name_);
      if (!full_labels_)
        for (auto& label : setup_.labels) label = np::classify::short_label(label);
      setup_.output = setup_.entry.outputs.front().name;
      setup_.decoding = setup_.entry.outputs.front().decoding;
      for (const auto& input : setup_.sessions->model().inputs())
        if (input.name == setup_.entry.input->tensor)
          setup_.batchable = !input.shape.empty() && input.shape[0] < 0;
    });
    return setup_;
  }

  std::vector<float> classify(const Setup& s, const cv::Mat& bgr) const {
    return np::classify::probabilities(run(s, prepare_input(bgr, *s.entry.input, resize_).tensor),
                                       s.decoding);
  }

  np::nn::Tensor run(const Setup& s, const np::nn::Tensor& input) const {
    auto out = s.sessions->run({{s.entry.input->tensor, input}});
    auto it = out.find(s.output);
    if (it == out.end()) throw np::Error("model '" + model_name_ + "' has no output '" + s.output + "'");
    return it->second;
  }

  // Video: an exponential moving average per source steadies the label.
  // Frames may finish out of order on several threads; an older frame than
  // the last one folded in is reported with its own scores only.
  std::vector<float> smoothed(const np::Frame& frame, std::vector<float> probs) {
    if (smoothing_ <= 0.f) return probs;
    std::lock_guard lock(smoothing_mutex_);
    auto& state = smoothing_state_[frame.origin().stream_id];
    if (frame.origin().index < state.last_index) return probs;
    state.last_index = frame.origin().index;
    np::classify::smooth(state.probs, probs, smoothing_);
    return state.probs;
  }

  cv::Rect margin_box(const cv::Rect2f& box, cv::Size frame) const {
    const float mx = box.width * roi_margin_, my = box.height * roi_margin_;
    cv::Rect r(cv::Point(int(box.x - mx), int(box.y - my)),
               cv::Point(int(box.br().x + mx), int(box.br().y + my)));
    return r & cv::Rect(cv::Point(0, 0), frame);
  }

  struct Smoothing {
    int64_t last_index = -1;
    std::vector<float> probs;
  };

  std::string model_name_;
  int top_k_;
  float min_score_;
  ResizeMode resize_;
  std::string roi_from_;
  float roi_margin_;
  float smoothing_;
  bool full_labels_;
  std::once_flag loaded_;
  Setup setup_;
  std::mutex smoothing_mutex_;
  std::map<int, Smoothing> smoothing_state_;
};

}  // namespace

NEUROPIPE_PLUGIN(
    Classify,
    {.name = "classify",
     .version = "1.0.0",
     .description = "Image classification (top-k labels) with any classifier in the model manifest",
     .params = {param::text("model", "squeezenet1.0-fp32", "classifier name in assets/models.yaml"),
                param::integer("top_k", 5, "number of labels to keep").between(1, 1000),
                param::real("min_score", 0.0, "drop labels scoring below this").between(0, 1),
                param::text("resize", "stretch", "how the frame is fitted to the model input")
                    .one_of({"stretch", "center_crop", "letterbox"}),
                param::text("roi_from", "", "classify each box detected by this node instead of the frame"),
                param::real("roi_margin", 0.0, "grow each ROI by this fraction of its size").between(0, 2),
                param::real("smoothing", 0.0, "video: weight of the running average (0 = off, 0.8 = steady)")
                    .between(0, 0.99),
                param::boolean("full_labels", false,
                               "keep every synonym of a label ('tabby, tabby cat'), not just the first")},
     .reads = {"detections?"},
     .writes = {"classifications"},
     .concurrent = true,
     .batched = true});
