#pragma once
// Zhang et al.'s annealed mean: the point estimate of a pixel's colour from
// its predicted distribution over quantised ab bins,
//   ab = sum_q softmax(z / T)_q * bin_q
// where z are the network's logits. Re-normalising the distribution to the
// power 1/T is the same as a softmax of z / T: T = 1 is the plain mean
// (desaturated), T -> 0 the mode (vivid but patchy); the paper uses T = 0.38.
#include <vector>

#include <opencv2/core.hpp>

namespace neuropipe::colorize {

// `logits` holds bins.size() planes of height x width floats (NCHW, N = 1).
// Returns height x width CV_32FC2 (a, b).
cv::Mat annealed_mean(const float* logits, int height, int width, const std::vector<cv::Vec2f>& bins,
                      double temperature);

}  // namespace neuropipe::colorize
