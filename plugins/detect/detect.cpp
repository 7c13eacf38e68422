// detect: object detection with any detector of the model manifest whose
// output decoding this plugin knows:
//   centernet          CenterNet, boxes decoded inside the graph ([1,N,6])
//   centernet_heatmap  CenterNet heads only; peaks decoded here (3x3 max, top-K)
//   rcnn_boxes         Faster R-CNN (boxes, labels, scores): torchvision's
//                      export, or the ONNX model zoo FasterRCNN-10 layout
// Pre-processing comes from the manifest's input spec (and, for the zoo
// layout, extra.fit: shorter_side + extra.size_multiple: the frame scaled to
// a shorter side, zero-padded); results are mapped back onto the frame,
// filtered (score, classes), NMS-ed per class and capped.
#include <algorithm>
#include <mutex>
#include <neuropipe/error.hpp>
#include <neuropipe/nn/session_pool.hpp>
#include <neuropipe/plugin/sdk.hpp>
#include <neuropipe/plugin/vision.hpp>
#include <set>

#include "centernet_decoder.hpp"
#include "rcnn_decoder.hpp"
#include "shorter_side_input.hpp"

namespace np = neuropipe;
using namespace np::plugin;
using np::detect::BoxCandidate;

namespace {

enum class Decoding { centernet_detections, centernet_heads, rcnn };

class Detect : public Node {
 public:
  explicit Detect(const Params& p)
      : model_name_(p.get<std::string>("model")),
        model_file_(p.get<std::string>("model_file")),
        score_threshold_(static_cast<float>(p.get<double>("score_threshold"))),
        nms_iou_(static_cast<float>(p.get<double>("nms_iou"))),
        max_detections_(p.get<int>("max_detections")),
        classes_(p.get<std::vector<std::string>>("classes")),
        input_size_(p.get<int>("input_size")),
        resize_(parse_resize_mode(p.get<std::string>("resize"))) {}

  void process(np::Frame& frame, Context& ctx) override {
    const Setup& s = setup(ctx);
    const cv::Mat image = frame.image();
    if (image.empty()) throw np::Error("frame " + std::to_string(frame.origin().index) + " has no image");
    PreparedInput input = s.fit_shorter_side
                              ? np::detect::prepare_shorter_side_input(image, *s.entry.input, shorter_side(s),
                                                                       s.size_multiple)
                              : prepare_input(image, *s.entry.input, resize_, model_size(s, image.size()));
    const np::nn::NamedTensors outputs = s.sessions->run({{s.entry.input->tensor, model_tensor(s, input)}});
    auto result = std::make_shared<np::Detections>();
    for (const BoxCandidate& c : select(s, decode(s, outputs))) {
      np::Detection d;
      d.box = input.fit.to_frame(c.box);
      d.class_id = c.class_index;
      d.label = label_of(s, c.class_index);
      d.score = c.score;
      result->items.push_back(std::move(d));
    }
    frame.put(ctx.node_name(), std::move(result));
  }

 private:
  // The model, its manifest entry, labels and settings, loaded on the first frame.
  struct Setup {
    np::models::ModelEntry entry;
    std::unique_ptr<np::nn::SessionPool> sessions;
    std::vector<std::string> labels;
    std::set<int> wanted_classes;  // empty = all
    Decoding decoding = Decoding::centernet_detections;
    float score_threshold = 0.3f, nms_iou = 1.f;
    // The zoo layout: the caller scales the shorter side and pads (extra.fit: shorter_side).
    bool fit_shorter_side = false;
    int size_multiple = 1;
  };

  const Setup& setup(Context& ctx) {
    std::call_once(loaded_, [&] {
      setup_.entry = ctx.models().info(model_name_);
      const auto& entry = setup_.entry;
      if (!entry.input) throw np::Error("model '" + model_name_ + "' has no input spec in the manifest");
      setup_.decoding = decoding_of(entry);
      setup_.fit_shorter_side = fit_of(entry) == "shorter_side";
      setup_.size_multiple = entry.extra.value("size_multiple", 1);
      setup_.labels = ctx.models().labels(model_name_);
      setup_.wanted_classes = class_indices(setup_.labels);
      setup_.score_threshold =
          score_threshold_ >= 0 ? score_threshold_ : entry.extra.value("score_threshold", 0.3f);
      // Faster R-CNN runs its own NMS inside the graph; a second pass is opt-in.
      setup_.nms_iou = nms_iou_ >= 0 ? nms_iou_ : entry.extra.value("nms_iou", 1.f);
      setup_.sessions = std::make_unique<np::nn::SessionPool>(
          model_file_.empty() ? ctx.load_store_model(model_name_) : ctx.load_model(model_file_));
    });
    return setup_;
  }

  Decoding decoding_of(const np::models::ModelEntry& entry) const {
    for (const auto& out : entry.outputs) {
      if (out.decoding == "centernet") return Decoding::centernet_detections;
      if (out.decoding == "centernet_heatmap") return Decoding::centernet_heads;
      if (out.decoding == "rcnn_boxes") return Decoding::rcnn;
    }
    throw np::Error("model '" + model_name_ +
                    "' has no output decoding the detect plugin knows (centernet, " +
                    "centernet_heatmap, rcnn_boxes)");
  }

  std::string fit_of(const np::models::ModelEntry& entry) const {
    const std::string fit = entry.extra.value("fit", std::string("frame"));
    if (fit != "frame" && fit != "shorter_side")
      throw np::Error("model '" + model_name_ + "': extra.fit '" + fit +
                      "' is not one the detect plugin knows (frame, shorter_side)");
    if (fit == "shorter_side" && !entry.input->dynamic_size)
      throw np::Error("model '" + model_name_ + "': extra.fit shorter_side needs input.dynamic_size: true");
    return fit;
  }

  // The zoo layout's shorter side: input_size, else the manifest's height (800).
  int shorter_side(const Setup& s) const { return input_size_ > 0 ? input_size_ : s.entry.input->height; }

  std::set<int> class_indices(const std::vector<std::string>& labels) const {
    std::set<int> indices;
    for (const auto& name : classes_) {
      auto it = std::find(labels.begin(), labels.end(), name);
      if (it == labels.end())
        throw np::Error("classes: '" + name + "' is not a class of model '" + model_name_ + "'");
      for (; it != labels.end(); it = std::find(it + 1, labels.end(), name))
        indices.insert(int(it - labels.begin()));
    }
    return indices;
  }

  // Fixed-size models use the manifest size (or input_size); dynamic ones
  // (Faster R-CNN resizes inside the graph) take the frame as it is.
  cv::Size model_size(const Setup& s, cv::Size frame) const {
    if (input_size_ > 0) return {input_size_, input_size_};
    if (s.entry.input->dynamic_size) return frame;
    return {s.entry.input->width, s.entry.input->height};
  }

  // Detection exports such as torchvision's take one image [3,H,W], not a
  // batch; the manifest says so with extra.input_rank: 3.
  static np::nn::Tensor model_tensor(const Setup& s, const PreparedInput& input) {
    if (s.entry.extra.value("input_rank", 4) != 3) return input.tensor;
    const auto& shape = input.tensor.shape();
    return input.tensor.reshaped({shape[1], shape[2], shape[3]});
  }

  std::vector<BoxCandidate> decode(const Setup& s, const np::nn::NamedTensors& outputs) const {
    switch (s.decoding) {
      case Decoding::centernet_detections:
        return np::detect::decode_centernet_detections(output(s, outputs, "centernet"), s.score_threshold);
      case Decoding::centernet_heads: {
        np::detect::HeatmapDecoding how{s.entry.extra.value("stride", 4.f), s.score_threshold,
                                        s.entry.extra.value("max_detections", 100)};
        return np::detect::decode_centernet_heads(output(s, outputs, "centernet_heatmap"),
                                                  output(s, outputs, "centernet_wh"), how);
      }
      case Decoding::rcnn:
        return np::detect::decode_rcnn(output(s, outputs, "rcnn_boxes"), output(s, outputs, "rcnn_labels"),
                                       output(s, outputs, "rcnn_scores"), s.score_threshold);
    }
    return {};
  }

  // The graph output the manifest names for `decoding`.
  const np::nn::Tensor& output(const Setup& s, const np::nn::NamedTensors& outputs,
                               const std::string& decoding) const {
    for (const auto& spec : s.entry.outputs) {
      if (spec.decoding != decoding) continue;
      auto it = outputs.find(spec.name);
      if (it == outputs.end())
        throw np::Error("model '" + model_name_ + "' has no output '" + spec.name + "'");
      return it->second;
    }
    throw np::Error("model '" + model_name_ + "' lists no output with decoding '" + decoding +
                    "' in the manifest");
  }

  std::vector<BoxCandidate> select(const Setup& s, std::vector<BoxCandidate> candidates) const {
    if (!s.wanted_classes.empty())
      std::erase_if(candidates,
                    [&](const BoxCandidate& c) { return !s.wanted_classes.count(c.class_index); });
    candidates = np::detect::non_max_suppression(std::move(candidates), s.nms_iou);
    if (candidates.size() > size_t(max_detections_)) candidates.resize(size_t(max_detections_));
    return candidates;
  }

  static std::string label_of(const Setup& s, int class_index) {
    return class_index >= 0 && size_t(class_index) < s.labels.size() ? s.labels[size_t(class_index)]
                                                                     : "class " + std::to_string(class_index);
  }

  std::string model_name_, model_file_;
  float score_threshold_, nms_iou_;
  int max_detections_;
  std::vector<std::string> classes_;
  int input_size_;
  ResizeMode resize_;
  std::once_flag loaded_;
  Setup setup_;
};

}  // namespace

NEUROPIPE_PLUGIN(
    Detect,
    {.name = "detect",
     .version = "1.0.0",
     .description =
         "Object detection (CenterNet, torchvision Faster R-CNN) with any detector in the model manifest",
     .params =
         {param::text("model", "centernet-mnv3-coco", "detector name in assets/models.yaml"),
          param::path("model_file", "",
                      "ONNX file to run instead of fetching the store's (for 'offline: export' models); "
                      "the manifest entry `model` still describes it"),
          param::real("score_threshold", -1.0, "drop boxes scoring below this (-1 = the manifest's value)")
              .between(-1, 1),
          param::real("nms_iou", -1.0,
                      "per-class NMS: drop a box overlapping a better one by more than this IoU "
                      "(-1 = the manifest's value, 1 = off)")
              .between(-1, 1),
          param::integer("max_detections", 100, "keep at most this many boxes, best first").between(1, 10000),
          param::text_list("classes", {}, "keep only these class names (empty = all)"),
          param::integer("input_size", 0,
                         "model input side in pixels (0 = the manifest size; dynamic models: the frame size; "
                         "shorter-side models such as the zoo Faster R-CNN: the shorter side, 0 = manifest)")
              .between(0, 4096),
          param::text("resize", "stretch", "how the frame is fitted to the model input")
              .one_of({"stretch", "letterbox"})},
     .reads = {},
     .writes = {"detections"},
     .concurrent = true});
