#pragma once
// Caption decoding over any step-by-step decoder: greedy and beam search with
// length normalisation. tools/export/caption.py implements the same rules in
// PyTorch for the parity reference; keep the two in step.
//
//   greedy: the most likely word (lowest id on ties) until <end> or max_length words.
//   beam:   each step extends every live hypothesis by every word; the beam_width
//           best by summed log-probability survive (ties: earlier hypothesis, then
//           lower id). Those ending in <end> are finished, the others stay live, so
//           the beam shrinks; at max_length the live ones are finished as they are.
//           The result is the finished hypothesis with the best
//           score = sum(log p) / length^length_penalty (length counts <end>;
//           length_penalty 0 = no normalisation; ties: the one finished first).
#include <cstddef>
#include <vector>

namespace neuropipe::caption {

// A decoder that advances a batch of hypotheses one word at a time. It keeps
// each hypothesis' recurrent state itself.
class StepDecoder {
 public:
  virtual ~StepDecoder() = default;
  // Starts one hypothesis from the image (its first input is the image feature).
  virtual void reset() = 0;
  // Feeds tokens[i] (-1: the image feature) to hypothesis i and returns, per
  // hypothesis, the log-probability of every word for the next position.
  virtual std::vector<std::vector<float>> step(const std::vector<int>& tokens) = 0;
  // Keeps the states after the last step of these hypotheses, in this order
  // (an index may repeat: a hypothesis with several continuations).
  virtual void keep(const std::vector<int>& hypotheses) = 0;
};

struct DecodeOptions {
  int beam_width = 1;         // 1 = greedy
  double length_penalty = 0;  // alpha of sum(log p) / length^alpha
  int max_length = 20;        // words, <end> included
};

struct Decoded {
  std::vector<int> tokens;  // <end> included when the caption ended
  double score = 0;         // normalised summed log-probability
};

double normalised_score(double log_prob_sum, size_t length, double length_penalty);

Decoded greedy_decode(StepDecoder& decoder, int end_token, const DecodeOptions& options);
Decoded beam_decode(StepDecoder& decoder, int end_token, const DecodeOptions& options);
// beam_width 1: greedy, else beam search.
Decoded decode(StepDecoder& decoder, int end_token, const DecodeOptions& options);

}  // namespace neuropipe::caption
