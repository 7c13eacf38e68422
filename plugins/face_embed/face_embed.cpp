// face_embed: computes a face descriptor for every face an earlier node
// detected and writes a copy of those detections with Detection.embedding
// filled in (plus gender and age attributes when the model predicts them).
// The crop follows the manifest's `extra.crop`: "pad_to_centered_square"
// (face-api ResNet-34: box, zero-padded to a centred square, resized) or
// "resize" (box resized to the model size); `extra.normalize` makes the
// descriptor unit length (cosine models).
#include <cmath>
#include <mutex>
#include <neuropipe/nn/session_pool.hpp>
#include <neuropipe/plugin/sdk.hpp>
#include <neuropipe/plugin/vision.hpp>
#include <numeric>

#include "face_crop.hpp"

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
    const Setup& s = setup(ctx);
    auto faces =
        faces_from_.empty() ? frame.latest<np::Detections>() : frame.get_as<np::Detections>(faces_from_);
    if (!faces)
      throw np::Error("no face detections on this frame" +
                      (faces_from_.empty() ? std::string() : " from node '" + faces_from_ + "'") +
                      " (run face_detect before face_embed)");
    auto result = std::make_shared<np::Detections>(*faces);
    const cv::Mat image = frame.image();
    for (auto& face : result->items)
      if ((face.box & cv::Rect2f(0, 0, float(image.cols), float(image.rows))).area() > 0)
        describe(s, image, face);
    frame.put(ctx.node_name(), std::move(result));
  }

 private:
  struct Setup {
    np::models::InputSpec input;
    std::unique_ptr<np::nn::SessionPool> sessions;
    std::string embedding_output, gender_output, age_output;
    bool pad_to_square = false, normalize = false;
    float male_above = 0.5f;
  };

  const Setup& setup(Context& ctx) {
    std::call_once(loaded_, [&] {
      const auto& entry = ctx.models().info(model_name_);
      if (!entry.input) throw np::Error("model '" + model_name_ + "' has no input spec in the manifest");
      setup_.input = *entry.input;
      for (const auto& out : entry.outputs) {
        if (out.decoding == "embedding") setup_.embedding_output = out.name;
        if (out.decoding == "gender_prob") setup_.gender_output = out.name;
        if (out.decoding == "age_softmax") setup_.age_output = out.name;
      }
      if (setup_.embedding_output.empty())
        throw np::Error("model '" + model_name_ +
                        "' lists no output with decoding 'embedding' in the manifest");
      setup_.pad_to_square = entry.extra.value("crop", std::string("resize")) == "pad_to_centered_square";
      setup_.normalize = entry.extra.value("normalize", false);
      setup_.male_above = entry.extra.value("male_above", 0.5f);
      setup_.sessions = std::make_unique<np::nn::SessionPool>(ctx.load_store_model(model_name_));
    });
    return setup_;
  }

  cv::Mat crop(const Setup& s, const cv::Mat& image, const cv::Rect2f& box) const {
    if (s.pad_to_square) return np::face::padded_square_crop(image, box, margin_);
    const float mx = box.width * margin_, my = box.height * margin_;
    const cv::Rect grown(cv::Point(int(box.x - mx), int(box.y - my)),
                         cv::Point(int(box.br().x + mx), int(box.br().y + my)));
    return image(grown & cv::Rect(cv::Point(0, 0), image.size()));
  }

  void describe(const Setup& s, const cv::Mat& image, np::Detection& face) const {
    auto input = prepare_input(crop(s, image, face.box), s.input, ResizeMode::stretch);
    auto out = s.sessions->run({{s.input.tensor, input.tensor}});
    face.embedding = values(out, s.embedding_output);
    if (s.normalize) normalize(face.embedding);
    if (!s.gender_output.empty()) {
      const float male = values(out, s.gender_output).at(0);
      face.attributes["gender"] = male > s.male_above ? "male" : "female";
      face.attributes["gender_score"] = male > s.male_above ? male : 1.f - male;
    }
    if (!s.age_output.empty()) face.attributes["age"] = expected_age(values(out, s.age_output));
  }

  std::vector<float> values(const np::nn::NamedTensors& out, const std::string& name) const {
    auto it = out.find(name);
    if (it == out.end()) throw np::Error("model '" + model_name_ + "' has no output '" + name + "'");
    auto data = it->second.to(np::nn::DType::f32);
    return {data.span<float>().begin(), data.span<float>().end()};
  }

  static void normalize(std::vector<float>& v) {
    const float norm = std::sqrt(std::inner_product(v.begin(), v.end(), v.begin(), 0.f));
    if (norm > 0)
      for (float& x : v) x /= norm;
  }

  // The age head is a softmax over years 0..99; its mean is steadier than its argmax.
  static float expected_age(const std::vector<float>& p) {
    float age = 0.f;
    for (size_t year = 0; year < p.size(); ++year) age += float(year) * p[year];
    return std::round(age * 10.f) / 10.f;
  }

  std::string model_name_, faces_from_;
  float margin_;
  std::once_flag loaded_;
  Setup setup_;
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
