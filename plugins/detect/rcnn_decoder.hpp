#pragma once
// torchvision Faster R-CNN outputs (the ONNX export of
// torchvision.models.detection.*): boxes [N,4] x1,y1,x2,y2 in input pixels,
// labels [N] int64 category ids, scores [N], already NMS-ed and sorted.
#include <neuropipe/nn/tensor.hpp>
#include <vector>

#include "box_candidate.hpp"

namespace neuropipe::detect {

std::vector<BoxCandidate> decode_rcnn(const nn::Tensor& boxes, const nn::Tensor& labels,
                                      const nn::Tensor& scores, float min_score);

}  // namespace neuropipe::detect
