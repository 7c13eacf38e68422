// face_embed: computes a face descriptor for every face an earlier node
// detected and writes a copy of those detections with Detection.embedding
// filled in (plus gender and age attributes when the model predicts them).
// Cropping and normalisation follow the manifest (see face_describer.hpp);
// faces that face_align aligned are described from their aligned crop.
#include <mutex>

#include <neuropipe/plugin/sdk.hpp>

#include "face_describer.hpp"

namespace np = neuropipe;
using namespace np::plugin;

namespace {

class FaceEmbed : public Node {
 public:
  explicit FaceEmbed(const Params& p)
      : model_name_(p.get<std::string>("model")),
        faces_from_(p.get<std::string>("faces_from")),
        margin_(float(p.get<double>("margin"))) {}

  void process(np::Frame& frame, Context& ctx) override {
    const auto& describer = setup(ctx);
    auto faces = faces_from_.empty() ? frame.latest<np::Detections>() : frame.get_as<np::Detections>(faces_from_);
    if (!faces)
      throw np::Error("no face detections on this frame" +
                      (faces_from_.empty() ? std::string() : " from node '" + faces_from_ + "'") +
                      " (run face_detect before face_embed)");
    auto result = std::make_shared<np::Detections>(*faces);
    const cv::Mat image = frame.image();
    const cv::Rect2f whole(0, 0, float(image.cols), float(image.rows));
    for (auto& face : result->items)
      if ((face.box & whole).area() > 0) describer.describe(image, face);
    frame.put(ctx.node_name(), std::move(result));
  }

 private:
  const np::face::FaceDescriber& setup(Context& ctx) {
    std::call_once(loaded_, [&] {
      describer_ = std::make_unique<np::face::FaceDescriber>(ctx.models().info(model_name_),
                                                             ctx.load_store_model(model_name_), margin_);
    });
    return *describer_;
  }

  std::string model_name_, faces_from_;
  float margin_;
  std::once_flag loaded_;
  std::unique_ptr<np::face::FaceDescriber> describer_;
};

}  // namespace

NEUROPIPE_PLUGIN(
    FaceEmbed,
    {.name = "face_embed",
     .version = "1.0.0",
     .description = "Face descriptors (Detection.embedding; gender and age with faceres) for detected faces",
     .params = {param::text("model", "faceapi-resnet34-128d", "face descriptor model in assets/models.yaml")
                    .one_of({"faceapi-resnet34-128d", "faceres-1024d"}),
                param::text("faces_from", "",
                            "node whose face detections to describe (empty = the latest detections)"),
                param::real("margin", 0.0, "grow each face box by this fraction of its size before cropping")
                    .between(0, 1)},
     .reads = {"detections"},
     .writes = {"detections"},
     .concurrent = true});
