// face_detect: finds faces with any face detector of the model manifest
// (YuNet fixed/dynamic, UltraFace decoded/raw, face-api SSD-MobileNetV1) and
// attaches them as Detections labelled "face", with 5 landmarks when the
// model gives them. Thresholds default to the manifest's; dynamic-size
// models run at a chosen resolution, and frames of one size run as a batch;
// large frames can be searched in overlapping tiles as well (tile_size).
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
        input_size_(p.get<int>("input_size")),
        tile_size_(p.get<int>("tile_size")),
        tile_overlap_(p.get<double>("tile_overlap")) {}

  void process(np::Frame& frame, Context& ctx) override {
    np::Frame* one[] = {&frame};
    process_batch(one, ctx);
  }

  // A dynamic-batch model sees all frames of one size in a single run;
  // a frame larger than `tile_size` is cut into tiles (see detect_tiled).
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
      if (needs_tiles(images[first].size())) {
        frames[first]->put(ctx.node_name(), to_detections(detect_tiled(s, images[first])));
        ++first;
        continue;
      }
      size_t end = first + 1;
      while (s.batchable && end < frames.size() && images[end].size() == images[first].size() &&
             !needs_tiles(images[end].size()))
        ++end;
      const auto found = detect_images(s, std::span(images).subspan(first, end - first));
      for (size_t i = first; i < end; ++i)
        frames[i]->put(ctx.node_name(),
                       to_detections(np::face::non_max_suppression(found[i - first], s.nms_iou)));
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

  // Candidates (before NMS) in each image's pixels; images of one size, run
  // as one batch when the model allows it, else one by one.
  std::vector<std::vector<np::face::FaceCandidate>> detect_images(const Setup& s,
                                                                  std::span<const cv::Mat> images) const {
    const cv::Size size = model_size(s, images.front().size());
    std::vector<PreparedInput> inputs;
    for (const cv::Mat& image : images)
      inputs.push_back(prepare_input(image, s.input, ResizeMode::letterbox, size));
    std::vector<std::vector<np::face::FaceCandidate>> found;
    auto decode = [&](const np::nn::NamedTensors& outputs, int item, const Fit& fit) {
      auto faces = s.decode(outputs, item, size, s.score_threshold);
      for (auto& face : faces) {
        face.box = fit.to_frame(face.box);
        for (auto& point : face.landmarks) point = fit.to_frame(point);
      }
      found.push_back(std::move(faces));
    };
    if (s.batchable) {
      auto outputs = s.sessions->run({{s.input.tensor, stack(inputs)}});
      for (size_t i = 0; i < inputs.size(); ++i) decode(outputs, int(i), inputs[i].fit);
    } else {
      for (const auto& input : inputs)
        decode(s.sessions->run({{s.input.tensor, input.tensor}}), 0, input.fit);
    }
    return found;
  }

  bool needs_tiles(cv::Size frame) const {
    return tile_size_ > 0 && std::max(frame.width, frame.height) > tile_size_;
  }

  // Large frames: the whole frame (big faces) plus overlapping tiles of
  // tile_size pixels (small faces, seen at a finer scale), merged by NMS.
  // A tile's face touching an edge shared with a neighbouring tile is cut
  // off there and dropped: the overlap shows it whole in the neighbour.
  std::vector<np::face::FaceCandidate> detect_tiled(const Setup& s, const cv::Mat& image) const {
    std::vector<np::face::FaceCandidate> all = detect_images(s, std::span(&image, 1)).front();
    const std::vector<cv::Rect> tiles = tile_grid(image.size());
    constexpr size_t kTilesPerRun = 8;  // bounds the batch's memory
    for (size_t first = 0; first < tiles.size(); first += kTilesPerRun) {
      const size_t end = std::min(tiles.size(), first + kTilesPerRun);
      std::vector<cv::Mat> crops;
      for (size_t t = first; t < end; ++t) crops.push_back(image(tiles[t]));
      const auto found = detect_images(s, crops);
      for (size_t t = first; t < end; ++t)
        for (auto face : found[t - first]) {
          if (cut_by_inner_edge(face.box, tiles[t].size(), tiles[t].tl(), image.size())) continue;
          face.box += cv::Point2f(tiles[t].tl());
          for (auto& point : face.landmarks) point += cv::Point2f(tiles[t].tl());
          all.push_back(std::move(face));
        }
    }
    return np::face::non_max_suppression(std::move(all), s.nms_iou);
  }

  // Equal tiles covering the frame, neighbours overlapping by at least
  // tile_overlap of a tile, the last one flush with the frame's edge.
  std::vector<cv::Rect> tile_grid(cv::Size frame) const {
    auto starts = [&](int length) {
      const int tile = std::min(tile_size_, length);
      const int step = std::max(1, int(std::floor(tile * (1.0 - tile_overlap_))));
      const int count = length <= tile ? 1 : 1 + int(std::ceil(double(length - tile) / step));
      std::vector<int> at;
      for (int i = 0; i < count; ++i)
        at.push_back(count == 1 ? 0 : int(std::lround(double(i) * (length - tile) / (count - 1))));
      return std::pair(at, tile);
    };
    const auto [xs, width] = starts(frame.width);
    const auto [ys, height] = starts(frame.height);
    std::vector<cv::Rect> tiles;
    for (int y : ys)
      for (int x : xs) tiles.emplace_back(x, y, width, height);
    return tiles;
  }

  // `box` in tile pixels; an edge is inner when the frame goes on beyond it.
  static bool cut_by_inner_edge(const cv::Rect2f& box, cv::Size tile, cv::Point at, cv::Size frame) {
    const float near = std::max(2.f, 0.01f * float(std::max(tile.width, tile.height)));
    return (at.x > 0 && box.x <= near) || (at.y > 0 && box.y <= near) ||
           (at.x + tile.width < frame.width && box.br().x >= float(tile.width) - near) ||
           (at.y + tile.height < frame.height && box.br().y >= float(tile.height) - near);
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

  // `faces` in frame pixels, best first (after NMS).
  std::shared_ptr<np::Detections> to_detections(const std::vector<np::face::FaceCandidate>& faces) const {
    auto result = std::make_shared<np::Detections>();
    for (const auto& face : faces) {
      np::Detection d;
      d.box = face.box;
      if (std::min(d.box.width, d.box.height) < float(min_face_size_)) continue;
      d.class_id = 0;
      d.label = "face";
      d.score = face.score;
      d.landmarks = face.landmarks;
      result->items.push_back(std::move(d));
      if (max_faces_ > 0 && int(result->items.size()) == max_faces_) break;
    }
    return result;
  }

  std::string model_name_;
  float score_threshold_, nms_iou_;
  int min_face_size_, max_faces_, input_size_, tile_size_;
  double tile_overlap_;
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
                    .between(32, 4096),
                param::integer("tile_size", 0,
                               "frames whose longer side exceeds this are also searched in overlapping "
                               "square tiles of this many frame pixels (small faces in 4K); 0 = off")
                    .between(0, 8192),
                param::real("tile_overlap", 0.25,
                            "fraction of a tile its neighbours overlap; a face smaller than the overlap "
                            "is seen whole in some tile")
                    .between(0, 0.9)},
     .writes = {"detections"},
     .concurrent = true,
     .batched = true});
