// face_identify: names the faces an earlier face_embed described, against a
// gallery folder (`NAME/*.jpg`) enrolled when the first frame arrives, and
// gives every face a track id that stays the same across frames. Faces the
// gallery does not know get "unknown-N", stable while they are tracked.
// Descriptors must come from the same model as the gallery's (`model`).
#include <map>
#include <mutex>
#include <neuropipe/nn/session_pool.hpp>
#include <neuropipe/plugin/sdk.hpp>
#include <neuropipe/plugin/vision.hpp>
#include <optional>

#include "face_aligner.hpp"
#include "face_decoder.hpp"
#include "face_describer.hpp"
#include "face_tracker.hpp"
#include "gallery.hpp"

namespace np = neuropipe;
using namespace np::plugin;

namespace {

class FaceIdentify : public Node {
 public:
  explicit FaceIdentify(const Params& p)
      : gallery_dir_(p.get<std::string>("gallery")),
        model_name_(p.get<std::string>("model")),
        detector_name_(p.get<std::string>("detector")),
        faces_from_(p.get<std::string>("faces_from")),
        align_(p.get<bool>("align")),
        threshold_(float(p.get<double>("threshold"))),
        track_iou_(float(p.get<double>("track_iou"))),
        max_age_(p.get<int>("max_age")) {}

  void process(np::Frame& frame, Context& ctx) override {
    setup(ctx);
    auto faces =
        faces_from_.empty() ? frame.latest<np::Detections>() : frame.get_as<np::Detections>(faces_from_);
    if (!faces) throw np::Error("no face detections on this frame (run face_detect and face_embed first)");
    auto result = std::make_shared<np::Detections>(*faces);
    for (auto& face : result->items) {
      if (face.embedding.empty())
        throw np::Error("a face has no embedding (run face_embed before face_identify)");
      const auto match = gallery_.nearest(face.embedding, distance_);
      face.identity_distance = match.name.empty() ? -1.f : match.distance;
      if (!match.name.empty() && match.distance < distance_.same_person_below) face.identity = match.name;
    }
    tracker(frame.origin().stream_id).update(frame.origin().index, result->items, distance_);
    frame.put(ctx.node_name(), std::move(result));
  }

  // End of the streams: `neuropipe batch` keeps this node for a whole folder
  // and calls finish() after each item, whose frames start again at index 0.
  // Items are independent (one photo, one video), so tracks and their ids
  // start afresh; the enrolled gallery stays.
  void finish(Context&) override { trackers_.clear(); }

 private:
  void setup(Context& ctx) {
    std::call_once(loaded_, [&] {
      const auto& entry = ctx.models().info(model_name_);
      distance_ = np::face::FaceDistance::from_manifest(entry);
      if (threshold_ >= 0) distance_.same_person_below = threshold_;
      if (gallery_dir_.empty()) return;
      np::face::FaceDescriber describer(entry, ctx.load_store_model(model_name_), 0.f);
      std::optional<np::face::FaceAligner> aligner;
      if (align_) aligner = np::face::FaceAligner::for_model(entry, 0.f);
      const auto& detector = ctx.models().info(detector_name_);
      np::nn::SessionPool detector_sessions(ctx.load_store_model(detector_name_));
      auto describe_largest = [&](const cv::Mat& photo) {
        return describe_largest_face(photo, detector, detector_sessions, describer, aligner);
      };
      gallery_ = np::face::Gallery::enrol(gallery_dir_,
                                          model_name_ + "+" + detector_name_ + (align_ ? "+aligned" : ""),
                                          ctx.models().config().cache_dir, describe_largest);
      ctx.log().info("face gallery {}: {} photos enrolled", gallery_dir_, gallery_.people().size());
    });
  }

  static std::vector<float> describe_largest_face(const cv::Mat& photo,
                                                  const np::models::ModelEntry& detector,
                                                  np::nn::SessionPool& sessions,
                                                  const np::face::FaceDescriber& describer,
                                                  const std::optional<np::face::FaceAligner>& aligner) {
    if (!detector.input) throw np::Error("model '" + detector.name + "' has no input spec in the manifest");
    const cv::Size size(detector.input->width, detector.input->height);
    auto input = prepare_input(photo, *detector.input, ResizeMode::letterbox, size);
    auto outputs = sessions.run({{detector.input->tensor, input.tensor}});
    auto faces =
        np::face::make_decoder(detector)(outputs, 0, size, detector.extra.value("score_threshold", 0.5f));
    if (faces.empty()) return {};
    auto largest = std::max_element(faces.begin(), faces.end(),
                                    [](const auto& a, const auto& b) { return a.box.area() < b.box.area(); });
    np::Detection face;
    face.box = input.fit.to_frame(largest->box);
    for (const auto& point : largest->landmarks) face.landmarks.push_back(input.fit.to_frame(point));
    if (aligner) face.aligned = aligner->align(photo, face);
    describer.describe(photo, face);
    return face.embedding;
  }

  np::face::FaceTracker& tracker(int stream) {
    return trackers_.try_emplace(stream, track_iou_, max_age_).first->second;
  }

  std::string gallery_dir_, model_name_, detector_name_, faces_from_;
  bool align_;
  float threshold_, track_iou_;
  int max_age_;
  std::once_flag loaded_;
  np::face::FaceDistance distance_;
  np::face::Gallery gallery_;
  std::map<int, np::face::FaceTracker> trackers_;
};

}  // namespace

NEUROPIPE_PLUGIN(
    FaceIdentify,
    {.name = "face_identify",
     .version = "1.0.0",
     .description =
         "Names faces against a gallery folder (NAME/*.jpg) and keeps track ids stable across frames",
     .params =
         {param::path("gallery", "",
                      "folder of NAME/*.jpg photos, one person per sub-folder (empty = "
                      "no gallery: every face is unknown-N, still tracked)"),
          param::text("model", "faceapi-resnet34-128d", "descriptor model; must be face_embed's model")
              .one_of({"faceapi-resnet34-128d", "faceres-1024d"}),
          param::text("detector", "yunet-n-320", "face detector used to enrol the gallery photos")
              .one_of({"yunet-n-320", "ultraface-rfb-320", "faceapi-ssd-mobilenetv1"}),
          param::text("faces_from", "", "node whose embedded faces to name (empty = the latest detections)"),
          param::boolean("align", false,
                         "enrol the gallery photos aligned as face_align does (set it when the pipeline "
                         "runs face_align before face_embed, so gallery and probe crops match)"),
          param::real("threshold", -1,
                      "same person below this distance (cosine models: 1 - similarity); "
                      "-1 = the manifest's")
              .between(-1, 10),
          param::real("track_iou", 0.3, "a face continues a track whose last box it overlaps this much")
              .between(0, 1),
          param::integer("max_age", 30, "forget a track not seen for this many frames").between(1, 100000)},
     .reads = {"detections"},
     .writes = {"detections"},
     .ordered = true});
