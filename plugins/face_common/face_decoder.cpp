#include "face_decoder.hpp"

#include <neuropipe/error.hpp>

namespace neuropipe::face {

const nn::Tensor& output(const nn::NamedTensors& outputs, const std::string& name) {
  auto it = outputs.find(name);
  if (it == outputs.end()) throw Error("face detector has no output tensor '" + name + "'");
  if (it->second.dtype() != nn::DType::f32) throw Error("face detector output '" + name + "' is not float32");
  return it->second;
}

FaceDecoder make_decoder(const models::ModelEntry& entry) {
  for (const auto& out : entry.outputs) {
    if (out.decoding == "yunet") return make_yunet_decoder(entry);
    if (out.decoding == "ultraface_boxes") return make_ultraface_decoder(entry);
    if (out.decoding == "ultraface_raw_boxes") return make_ultraface_raw_decoder(entry);
    if (out.decoding == "ssd_boxes") return make_ssd_decoder(entry);
  }
  throw Error(
      "model '" + entry.name + "' (manifest line " + std::to_string(entry.line) +
      ") has no face detector output decoding (yunet, ultraface_boxes, ultraface_raw_boxes, ssd_boxes)");
}

}  // namespace neuropipe::face
