#include "face_describer.hpp"

#include <cmath>
#include <numeric>

#include <neuropipe/error.hpp>
#include <neuropipe/plugin/vision.hpp>

#include "face_crop.hpp"

namespace neuropipe::face {

namespace {

void normalize(std::vector<float>& v) {
  const float norm = std::sqrt(std::inner_product(v.begin(), v.end(), v.begin(), 0.f));
  if (norm > 0)
    for (float& x : v) x /= norm;
}

// The age head is a softmax over years 0..99; its mean is steadier than its argmax.
float expected_age(const std::vector<float>& p) {
  float age = 0.f;
  for (size_t year = 0; year < p.size(); ++year) age += float(year) * p[year];
  return std::round(age * 10.f) / 10.f;
}

}  // namespace

FaceDescriber::FaceDescriber(const models::ModelEntry& entry, std::shared_ptr<const nn::Model> model,
                             float margin)
    : model_name_(entry.name), margin_(margin) {
  if (!entry.input) throw Error("model '" + entry.name + "' has no input spec in the manifest");
  input_ = *entry.input;
  for (const auto& out : entry.outputs) {
    if (out.decoding == "embedding") embedding_output_ = out.name;
    if (out.decoding == "gender_prob") gender_output_ = out.name;
    if (out.decoding == "age_softmax") age_output_ = out.name;
  }
  if (embedding_output_.empty())
    throw Error("model '" + entry.name + "' lists no output with decoding 'embedding' in the manifest");
  pad_to_square_ = entry.extra.value("crop", std::string("resize")) == "pad_to_centered_square";
  normalize_ = entry.extra.value("normalize", false);
  male_above_ = entry.extra.value("male_above", 0.5f);
  sessions_ = std::make_unique<nn::SessionPool>(std::move(model));
}

cv::Mat FaceDescriber::crop(const cv::Mat& bgr, const cv::Rect2f& box) const {
  if (pad_to_square_) return padded_square_crop(bgr, box, margin_);
  const float mx = box.width * margin_, my = box.height * margin_;
  const cv::Rect grown(cv::Point(int(box.x - mx), int(box.y - my)),
                       cv::Point(int(box.br().x + mx), int(box.br().y + my)));
  const cv::Rect inside = grown & cv::Rect(cv::Point(0, 0), bgr.size());
  if (inside.area() <= 0) throw Error("face box lies outside the frame");
  return bgr(inside);
}

void FaceDescriber::describe(const cv::Mat& bgr, Detection& face) const {
  // face_align's crop is already in the model's geometry; else the manifest's box recipe.
  const bool aligned = face.aligned && !face.aligned->crop.empty();
  if (aligned && face.aligned->crop.size() != cv::Size(input_.width, input_.height))
    throw Error("aligned face crop is " + std::to_string(face.aligned->crop.cols) + "x" +
                std::to_string(face.aligned->crop.rows) + " but model '" + model_name_ + "' takes " +
                std::to_string(input_.width) + "x" + std::to_string(input_.height) +
                ": give face_align the same model as face_embed");
  const cv::Mat pixels = aligned ? face.aligned->crop : crop(bgr, face.box);
  auto input = plugin::prepare_input(pixels, input_, plugin::ResizeMode::stretch);
  auto out = sessions_->run({{input_.tensor, input.tensor}});
  face.embedding = values(out, embedding_output_);
  if (normalize_) normalize(face.embedding);
  if (!gender_output_.empty()) {
    const float male = values(out, gender_output_).at(0);
    face.attributes["gender"] = male > male_above_ ? "male" : "female";
    face.attributes["gender_score"] = male > male_above_ ? male : 1.f - male;
  }
  if (!age_output_.empty()) face.attributes["age"] = expected_age(values(out, age_output_));
}

std::vector<float> FaceDescriber::values(const nn::NamedTensors& out, const std::string& name) const {
  auto it = out.find(name);
  if (it == out.end()) throw Error("model '" + model_name_ + "' has no output '" + name + "'");
  auto data = it->second.to(nn::DType::f32);
  return {data.span<float>().begin(), data.span<float>().end()};
}

}  // namespace neuropipe::face
