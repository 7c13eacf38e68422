// face_align: for every face an earlier node detected, computes the
// similarity transform (least squares, no reflection) from its 5 landmarks
// to the descriptor model's template and warps the face onto it, so the
// descriptor sees eyes, nose and mouth where it expects them whatever the
// head's roll and size. Writes a copy of the detections with
// Detection.aligned (crop in the model's input size + the 2x3 frame-to-crop
// transform); face_embed describes that crop. Faces without 5 landmarks get
// a square box crop grown by `margin`.
#include <mutex>
#include <neuropipe/plugin/sdk.hpp>

#include "face_aligner.hpp"

namespace np = neuropipe;
using namespace np::plugin;

namespace {

class FaceAlign : public Node {
 public:
  explicit FaceAlign(const Params& p)
      : model_name_(p.get<std::string>("model")),
        faces_from_(p.get<std::string>("faces_from")),
        margin_(float(p.get<double>("margin"))) {}

  void process(np::Frame& frame, Context& ctx) override {
    const auto& aligner = setup(ctx);
    auto faces =
        faces_from_.empty() ? frame.latest<np::Detections>() : frame.get_as<np::Detections>(faces_from_);
    if (!faces)
      throw np::Error("no face detections on this frame" +
                      (faces_from_.empty() ? std::string() : " from node '" + faces_from_ + "'") +
                      " (run face_detect before face_align)");
    auto result = std::make_shared<np::Detections>(*faces);
    const cv::Mat image = frame.image();
    for (auto& face : result->items) face.aligned = aligner.align(image, face);
    frame.put(ctx.node_name(), std::move(result));
  }

 private:
  const np::face::FaceAligner& setup(Context& ctx) {
    std::call_once(loaded_, [&] {
      aligner_ = std::make_unique<np::face::FaceAligner>(
          np::face::FaceAligner::for_model(ctx.models().info(model_name_), margin_));
    });
    return *aligner_;
  }

  std::string model_name_, faces_from_;
  float margin_;
  std::once_flag loaded_;
  std::unique_ptr<np::face::FaceAligner> aligner_;
};

}  // namespace

NEUROPIPE_PLUGIN(
    FaceAlign,
    {.name = "face_align",
     .version = "1.0.0",
     .description = "Aligns detected faces (5 landmarks -> the descriptor model's template) for face_embed",
     .params = {param::text("model", "faceapi-resnet34-128d",
                            "descriptor model the crops are for (its input size and 5-point template)")
                    .one_of({"faceapi-resnet34-128d", "faceres-1024d"}),
                param::text("faces_from", "",
                            "node whose face detections to align (empty = the latest detections)"),
                param::real(
                    "margin", 0.0,
                    "faces without 5 landmarks: grow the square box crop by this fraction of its size")
                    .between(0, 1)},
     .reads = {"detections"},
     .writes = {"detections"},
     .concurrent = true});
