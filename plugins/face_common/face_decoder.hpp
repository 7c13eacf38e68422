#pragma once
// Turns a face detector's raw outputs into face candidates (model-input
// pixels). One decoder per output format of the manifest ("yunet",
// "ultraface_boxes", "ultraface_raw_boxes", "ssd_boxes"), chosen from the
// manifest entry, so any model described there with a known format works.
#include <functional>
#include <neuropipe/models/store.hpp>
#include <neuropipe/nn/model.hpp>
#include <string>
#include <vector>

#include "face_candidate.hpp"

namespace neuropipe::face {

// outputs of one run, the batch item to read, the model input size; returns
// every candidate scoring at least `min_score` (NMS comes later).
using FaceDecoder = std::function<std::vector<FaceCandidate>(const nn::NamedTensors& outputs, int batch_item,
                                                             cv::Size input_size, float min_score)>;

FaceDecoder make_decoder(const models::ModelEntry& entry);

// The named output, or an Error naming the model and the missing tensor.
const nn::Tensor& output(const nn::NamedTensors& outputs, const std::string& name);

FaceDecoder make_yunet_decoder(const models::ModelEntry& entry);
FaceDecoder make_ultraface_decoder(const models::ModelEntry& entry);
FaceDecoder make_ultraface_raw_decoder(const models::ModelEntry& entry);
FaceDecoder make_ssd_decoder(const models::ModelEntry& entry);

}  // namespace neuropipe::face
