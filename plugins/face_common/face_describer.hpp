#pragma once
// Computes a face descriptor model's outputs for one face of a picture: the
// aligned crop when face_align made one, else the crop the manifest's
// `extra.crop` asks for ("pad_to_centered_square" = the face-api ResNet-34
// recipe, "resize" = the box resized), the embedding
// (unit length when `extra.normalize`), and gender/age when the model has
// those heads. Thread-safe (sessions come from a pool).
#include <memory>
#include <string>

#include <neuropipe/metadata.hpp>
#include <neuropipe/models/store.hpp>
#include <neuropipe/nn/session_pool.hpp>

namespace neuropipe::face {

class FaceDescriber {
 public:
  FaceDescriber(const models::ModelEntry& entry, std::shared_ptr<const nn::Model> model, float margin);
  // Fills face.embedding (and face.attributes gender/age where predicted),
  // describing face.aligned's crop when face_align made one.
  void describe(const cv::Mat& bgr, Detection& face) const;

 private:
  cv::Mat crop(const cv::Mat& bgr, const cv::Rect2f& box) const;
  std::vector<float> values(const nn::NamedTensors& out, const std::string& name) const;

  std::string model_name_;
  models::InputSpec input_;
  std::unique_ptr<nn::SessionPool> sessions_;
  std::string embedding_output_, gender_output_, age_output_;
  bool pad_to_square_ = false, normalize_ = false;
  float male_above_ = 0.5f, margin_ = 0.f;
};

}  // namespace neuropipe::face
