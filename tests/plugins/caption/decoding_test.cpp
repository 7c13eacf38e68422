// Caption decoding on a tiny hand-made decoder whose answers are worked out
// by hand: greedy vs beam search, length normalisation, ties, max_length and
// the hypotheses' states following the beam.
#include <catch2/catch.hpp>
#include <cmath>
#include <map>

#include "beam_search.hpp"

using namespace neuropipe::caption;

namespace {

constexpr int END = 0, A = 1, B = 2, C = 3;

// Word probabilities after each prefix of tokens (the image feature is fed
// first and is not part of the prefix). Unlisted prefixes end at once. Each
// hypothesis remembers its own prefix, so a decoder that kept the wrong state
// for a hypothesis would read the wrong row.
class TableDecoder final : public StepDecoder {
 public:
  explicit TableDecoder(std::map<std::vector<int>, std::vector<double>> table) : table_(std::move(table)) {}

  void reset() override { prefixes_ = {{}}; }
  std::vector<std::vector<float>> step(const std::vector<int>& tokens) override {
    REQUIRE(tokens.size() == prefixes_.size());
    std::vector<std::vector<float>> rows;
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (tokens[i] >= 0)
        prefixes_[i].push_back(tokens[i]);
      else
        REQUIRE(prefixes_[i].empty());  // only the first step feeds the image
      auto it = table_.find(prefixes_[i]);
      const std::vector<double> p = it != table_.end() ? it->second : std::vector<double>{1.0, 0, 0, 0};
      std::vector<float> row;
      for (double v : p) row.push_back(float(std::log(std::max(v, 1e-9))));
      rows.push_back(row);
    }
    ++steps;
    return rows;
  }
  void keep(const std::vector<int>& hypotheses) override {
    std::vector<std::vector<int>> kept;
    for (int h : hypotheses) kept.push_back(prefixes_.at(size_t(h)));
    prefixes_ = kept;
  }
  int steps = 0;

 private:
  std::map<std::vector<int>, std::vector<double>> table_;
  std::vector<std::vector<int>> prefixes_;
};

//                   <end>  A     B     C
TableDecoder greedy_trap() {
  return TableDecoder(
      {{{}, {0.0, 0.6, 0.4, 0.0}}, {{A}, {0.4, 0.3, 0.3, 0.0}}, {{B}, {0.9, 0.05, 0.05, 0.0}}});
}

}  // namespace

TEST_CASE("greedy takes the likeliest word each step, beam search finds the likelier caption",
          "[caption][unit]") {
  auto decoder = greedy_trap();
  const Decoded greedy =
      greedy_decode(decoder, END, {.beam_width = 1, .length_penalty = 0, .max_length = 20});
  CHECK(greedy.tokens == std::vector<int>{A, END});
  CHECK(greedy.score == Approx(std::log(0.6 * 0.4)).epsilon(1e-6));
  const int greedy_steps = decoder.steps;
  const Decoded beam = beam_decode(decoder, END, {.beam_width = 2, .length_penalty = 0, .max_length = 20});
  CHECK(beam.tokens == std::vector<int>{B, END});  // 0.4 * 0.9 = 0.36 beats 0.6 * 0.4 = 0.24
  CHECK(beam.score == Approx(std::log(0.4 * 0.9)).epsilon(1e-6));
  CHECK(decoder.steps - greedy_steps == 2);  // both hypotheses finished at the second word: the search stops
}

TEST_CASE("length normalisation prefers the longer caption with the better words", "[caption][unit]") {
  // "A <end>" = 0.5 in two words; "B C <end>" = 0.45 * 0.95 * 0.95 = 0.406 in three.
  TableDecoder decoder({{{}, {0.05, 0.5, 0.45, 0.0}},
                        {{A}, {1.0, 0, 0, 0}},
                        {{B}, {0.0, 0.0, 0.05, 0.95}},
                        {{B, C}, {0.95, 0.05, 0.0, 0.0}}});
  const Decoded raw = beam_decode(decoder, END, {.beam_width = 3, .length_penalty = 0, .max_length = 10});
  CHECK(raw.tokens == std::vector<int>{A, END});
  const Decoded normalised =
      beam_decode(decoder, END, {.beam_width = 3, .length_penalty = 1, .max_length = 10});
  CHECK(normalised.tokens == std::vector<int>{B, C, END});
  CHECK(normalised.score == Approx(std::log(0.45 * 0.95 * 0.95) / 3).epsilon(1e-6));
  CHECK(normalised_score(-6.0, 4, 0.5) == Approx(-3.0));
}

TEST_CASE("beam hypotheses keep their own state when one parent has several children", "[caption][unit]") {
  // Both survivors of step 2 extend A; only A->B->C leads somewhere good.
  TableDecoder decoder({{{}, {0.0, 0.9, 0.1, 0.0}},
                        {{A}, {0.0, 0.5, 0.5, 0.0}},
                        {{A, A}, {1.0, 0, 0, 0}},
                        {{A, B}, {0.0, 0.0, 0.0, 1.0}},
                        {{A, B, C}, {1.0, 0, 0, 0}}});
  const Decoded beam = beam_decode(decoder, END, {.beam_width = 2, .length_penalty = 0, .max_length = 10});
  CHECK(beam.tokens == std::vector<int>{A, A, END});  // tie 0.45 each: the first finished wins
  const Decoded longer = beam_decode(decoder, END, {.beam_width = 2, .length_penalty = 1, .max_length = 10});
  CHECK(longer.tokens == std::vector<int>{A, B, C, END});  // log(0.45) / 4 beats log(0.45) / 3
}

TEST_CASE("ties go to the lower word id and captions stop at max_length", "[caption][unit]") {
  // A and B equally likely after every prefix up to two words: nothing ever ends.
  std::map<std::vector<int>, std::vector<double>> table;
  for (const std::vector<int>& prefix :
       std::vector<std::vector<int>>{{}, {A}, {B}, {A, A}, {A, B}, {B, A}, {B, B}})
    table[prefix] = {0.0, 0.5, 0.5, 0.0};
  TableDecoder endless(table);
  const Decoded greedy = greedy_decode(endless, END, {.beam_width = 1, .length_penalty = 0, .max_length = 3});
  CHECK(greedy.tokens == std::vector<int>{A, A, A});
  CHECK(greedy.score == Approx(3 * std::log(0.5)).epsilon(1e-6));
  const Decoded beam = beam_decode(endless, END, {.beam_width = 2, .length_penalty = 0, .max_length = 3});
  CHECK(beam.tokens ==
        std::vector<int>{A, A, A});  // unfinished at max_length, still the answer; ties: A first
  CHECK(beam.score == Approx(3 * std::log(0.5)).epsilon(1e-6));
  CHECK_THROWS_WITH(beam_decode(endless, END, {.beam_width = 0}), Catch::Contains("beam_width"));
}
