#pragma once
// Turning a classifier's output tensor into ranked, labelled scores.
#include <neuropipe/metadata.hpp>
#include <neuropipe/nn/tensor.hpp>
#include <string>
#include <vector>

namespace neuropipe::classify {

// Probabilities from the output: `softmax` outputs are used as they are,
// `logits` go through a numerically stable softmax.
std::vector<float> probabilities(const nn::Tensor& output, const std::string& decoding);

// One probability vector per row of a batched [N, classes, ...] output.
std::vector<std::vector<float>> batch_probabilities(const nn::Tensor& output, const std::string& decoding);

// The k best classes with at least min_score, best first, labelled (falls
// back to "class N" where the label file is short).
std::vector<Classification> top_k(const std::vector<float>& probs, int k, float min_score,
                                  const std::vector<std::string>& labels);

// The first name of a synonym list ("tabby, tabby cat" -> "tabby"): ImageNet
// label files list every synonym of a class, which is too long for a picture.
std::string short_label(const std::string& label);

// Exponential moving average: state = alpha * state + (1 - alpha) * probs.
void smooth(std::vector<float>& state, const std::vector<float>& probs, float alpha);

}  // namespace neuropipe::classify
