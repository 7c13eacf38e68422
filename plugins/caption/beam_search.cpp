#include "beam_search.hpp"

#include <algorithm>
#include <cmath>
#include <neuropipe/error.hpp>
#include <numeric>
#include <string>

namespace neuropipe::caption {
namespace {

struct Hypothesis {
  std::vector<int> tokens;
  double log_prob = 0;  // summed, not normalised
};

struct Candidate {
  double log_prob;
  int parent;  // live hypothesis it extends
  int token;
};

void check_rows(const std::vector<std::vector<float>>& rows, size_t expected) {
  if (rows.size() != expected)
    throw Error("caption decoder returned " + std::to_string(rows.size()) + " rows for " +
                std::to_string(expected) + " hypotheses");
  for (const auto& row : rows)
    if (row.empty()) throw Error("caption decoder returned an empty row of word scores");
}

// The `width` best extensions of the live hypotheses, best first; ties go to
// the earlier hypothesis, then the lower word id (a stable order on parent*V+token).
std::vector<Candidate> best_extensions(const std::vector<Hypothesis>& live,
                                       const std::vector<std::vector<float>>& log_probs, size_t width) {
  std::vector<Candidate> all;
  for (size_t b = 0; b < live.size(); ++b)
    for (size_t w = 0; w < log_probs[b].size(); ++w)
      all.push_back({live[b].log_prob + double(log_probs[b][w]), int(b), int(w)});
  const size_t n = std::min(width, all.size());
  std::partial_sort(all.begin(), all.begin() + std::ptrdiff_t(n), all.end(),
                    [](const Candidate& a, const Candidate& b) {
                      if (a.log_prob != b.log_prob) return a.log_prob > b.log_prob;
                      return a.parent != b.parent ? a.parent < b.parent : a.token < b.token;
                    });
  all.resize(n);
  return all;
}

void check_options(const DecodeOptions& options) {
  if (options.beam_width < 1) throw Error("beam_width must be at least 1");
  if (options.max_length < 1) throw Error("max_length must be at least 1");
}

}  // namespace

double normalised_score(double log_prob_sum, size_t length, double length_penalty) {
  if (length_penalty <= 0 || length == 0) return log_prob_sum;
  return log_prob_sum / std::pow(double(length), length_penalty);
}

Decoded greedy_decode(StepDecoder& decoder, int end_token, const DecodeOptions& options) {
  check_options(options);
  decoder.reset();
  Decoded out;
  double sum = 0;
  int token = -1;
  while (out.tokens.size() < size_t(options.max_length)) {
    const auto rows = decoder.step({token});
    check_rows(rows, 1);
    const auto& row = rows.front();
    token = int(std::max_element(row.begin(), row.end()) - row.begin());  // first maximum
    sum += row[size_t(token)];
    out.tokens.push_back(token);
    if (token == end_token) break;
  }
  out.score = normalised_score(sum, out.tokens.size(), options.length_penalty);
  return out;
}

Decoded beam_decode(StepDecoder& decoder, int end_token, const DecodeOptions& options) {
  check_options(options);
  decoder.reset();
  std::vector<Hypothesis> live(1), finished;
  for (int length = 0; length < options.max_length && !live.empty(); ++length) {
    std::vector<int> last;
    for (const auto& h : live) last.push_back(h.tokens.empty() ? -1 : h.tokens.back());
    const auto log_probs = decoder.step(last);
    check_rows(log_probs, live.size());
    std::vector<Hypothesis> next;
    std::vector<int> parents;
    for (const Candidate& c : best_extensions(live, log_probs, size_t(options.beam_width))) {
      Hypothesis h{live[size_t(c.parent)].tokens, c.log_prob};
      h.tokens.push_back(c.token);
      if (c.token == end_token) {
        finished.push_back(std::move(h));
      } else {
        next.push_back(std::move(h));
        parents.push_back(c.parent);
      }
    }
    if (!next.empty()) decoder.keep(parents);
    live = std::move(next);
  }
  finished.insert(finished.end(), live.begin(), live.end());  // reached max_length
  Decoded best;
  bool any = false;
  for (const auto& h : finished) {
    const double score = normalised_score(h.log_prob, h.tokens.size(), options.length_penalty);
    if (!any || score > best.score) best = {h.tokens, score};
    any = true;
  }
  return best;
}

Decoded decode(StepDecoder& decoder, int end_token, const DecodeOptions& options) {
  return options.beam_width == 1 ? greedy_decode(decoder, end_token, options)
                                 : beam_decode(decoder, end_token, options);
}

}  // namespace neuropipe::caption
