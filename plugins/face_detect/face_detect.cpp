// face_detect: finds faces with any face detector of the model manifest
// (YuNet fixed/dynamic, UltraFace decoded/raw, face-api SSD-MobileNetV1) and
// attaches them as Detections labelled "face", with 5 landmarks when the
// model gives them. Thresholds default to the manifest's; dynamic-size
// models run at a chosen resolution, and frames of one size run as a batch.
#include <algorithm>
#include <cmath>
#include <mutex>
#include <neuropipe/nn/session_pool.hpp>
#include <neuropipe/plugin/sdk.hpp>
#include <neuropipe/plugin/vision.hpp>

#include "face_decoder.hpp"

namespace np = neuropipe;
using namespace np::plugin;

namespace {

class FaceDetect : public Node {
 public:
  explicit FaceDetect(const Params& p)
      : model_name_(p.get<std::string>("model")),
        score_threshold_(float(p.get<double>("score_threshold"))),
        nms_iou_(float(p.get<double>("nms_iou"))),
        min_face_size_(p.get<int>("min_face_size")),
        max_faces_(p.get<int>("max_faces")),
        input_size_(p.get<int>("input_size")) {}

  void process(np::Frame& frame, Context& ctx) override {
    np::Frame* one[] = {&frame};
    process_batch(one, ctx);
  }

  // A dynamic-batch model sees all frames of one size in a single run.
  void process_batch(std::span<np::Frame* const> frames, Context& ctx) override {
    const Setup& s = setup(ctx);
    std::vector<cv::Mat> images;
    for (np::Frame* f : frames) {
      images.push_back(f->image());
      if (images.back().empty())
        throw np::Error("frame " + std::to_string(f->origin().index) + " has no image");
    }
    size_t first = 0;
    while (first < frames.size()) {
      size_t end = first + 1;
      while (s.batchable && end < frames.size() && images[end].size() == images[first].size()) ++end;
      detect(s, frames.subspan(first, end - first), std::span(images).subspan(first, end - first), ctx);
      first = end;
    }
  }

 private:
  struct Setup {
    np::models::InputSpec input;
    np::face::FaceDecoder decode;
    std::unique_ptr<np::nn::SessionPool> sessions;
    float score_threshold = 0.5f, nms_iou = 0.3f;
    bool batchable = false;
  };

  const Setup& setup(Context& ctx) {
    std::call_once(loaded_, [&] {
      const auto& entry = ctx.models().info(model_name_);
      if (!entry.input) throw np::Error("model '" + model_name_ + "' has no input spec in the manifest");
      setup_.input = *entry.input;
      setup_.decode = np::face::make_decoder(entry);
      setup_.sessions = std::make_unique<np::nn::SessionPool>(ctx.load_store_model(model_name_));
      setup_.score_threshold =
          score_threshold_ >= 0 ? score_threshold_ : entry.extra.value("score_threshold", 0.5f);
      setup_.nms_iou = nms_iou_ >= 0 ? nms_iou_ : entry.extra.value("nms_iou", 0.3f);
      setup_.batchable = entry.input->dynamic_size;
    });
    return setup_;
  }

  // Dynamic models: the frame's longer side scaled to input_size, both sides
  // rounded up to the model's size multiple; fixed models: the manifest size.
  cv::Size model_size(const Setup& s, cv::Size frame) const {
    if (!s.input.dynamic_size || input_size_ <= 0) return {s.input.width, s.input.height};
    const double scale = double(input_size_) / std::max(frame.width, frame.height);
    auto round_up = [](double v) { return std::max(32, int(std::ceil(v / 32.0)) * 32); };
    return {round_up(frame.width * scale), round_up(frame.height * scale)};
  }

  void detect(const Setup& s, std::span<np::Frame* const> frames, std::span<const cv::Mat> images,
              Context& ctx) {
    const cv::Size size = model_size(s, images.front().size());
    std::vector<PreparedInput> inputs;
    for (const cv::Mat& image : images)
      inputs.push_back(prepare_input(image, s.input, ResizeMode::letterbox, size));
    auto outputs = s.sessions->run({{s.input.tensor, stack(inputs)}});
    for (size_t i = 0; i < frames.size(); ++i) {
      auto faces =
          np::face::non_max_suppression(s.decode(outputs, int(i), size, s.score_threshold), s.nms_iou);
      frames[i]->put(ctx.node_name(), to_detections(faces, inputs[i].fit));
    }
  }

  static np::nn::Tensor stack(const std::vector<PreparedInput>& inputs) {
    if (inputs.size() == 1) return inputs.front().tensor;
    np::nn::Shape shape = inputs.front().tensor.shape();
    shape[0] = int64_t(inputs.size());
    np::nn::Tensor batch = np::nn::Tensor::empty(inputs.front().tensor.dtype(), shape);
    auto* out = static_cast<char*>(batch.raw());
    for (const auto& in : inputs) {
      std::memcpy(out, in.tensor.raw(), in.tensor.bytes());
      out += in.tensor.bytes();
    }
    return batch;
  }

  std::shared_ptr<np::Detections> to_detections(const std::vector<np::face::FaceCandidate>& faces,
                                                const Fit& fit) const {
    auto result = std::make_shared<np::Detections>();
    for (const auto& face : faces) {
      np::Detection d;
      d.box = fit.to_frame(face.box);
      if (std::min(d.box.width, d.box.height) < float(min_face_size_)) continue;
      d.class_id = 0;
      d.label = "face";
      d.score = face.score;
      for (const auto& point : face.landmarks) d.landmarks.push_back(fit.to_frame(point));
      result->items.push_back(std::move(d));
      if (max_faces_ > 0 && int(result->items.size()) == max_faces_) break;
    }
    return result;
  }

  std::string model_name_;
  float score_threshold_, nms_iou_;
  int min_face_size_, max_faces_, input_size_;
  std::once_flag loaded_;
  Setup setup_;
};

}  // namespace

NEUROPIPE_PLUGIN(
    FaceDetect,
    {.name = "face_detect",
     .version = "1.0.0",
     .description =
         "Face detection (boxes + 5 landmarks where the model gives them) with YuNet, UltraFace or SSD",
     .params = {param::text("model", "yunet-n-dynamic", "face detector name in assets/models.yaml")
                    .one_of({"yunet-n-dynamic", "yunet-n-320", "ultraface-rfb-320", "ultraface-rfb-320-raw",
                             "faceapi-ssd-mobilenetv1"}),
                param::real("score_threshold", -1,
                            "keep faces scoring at least this; -1 = the model's default")
                    .between(-1, 1),
                param::real("nms_iou", -1,
                            "drop a face overlapping a better one by more than this IoU; -1 = the "
                            "model's default")
                    .between(-1, 1),
                param::integer("min_face_size", 0, "drop faces whose box is smaller than this (frame pixels)")
                    .between(0, 10000),
                param::integer("max_faces", 0, "keep at most this many faces, best first (0 = all)")
                    .between(0, 10000),
                param::integer("input_size", 640,
                               "dynamic-size models: the frame's longer side is scaled to this "
                               "(rounded up to a multiple of 32); larger finds smaller faces")
                    .between(32, 4096)},
     .writes = {"detections"},
     .concurrent = true,
     .batched = true});
