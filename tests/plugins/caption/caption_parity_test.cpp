// caption parity: the plugin's whole path on a real photo (pre-processing,
// encoder, LSTM decoder steps on the engine, greedy and beam search) against
// tools/export/caption.py's PyTorch implementation with the same seeded
// weights: the same token sequence and the same (length-normalised) score.
#include <catch2/catch.hpp>
#include <cmath>
#include <iostream>

#include "caption_export.hpp"
#include "plugin_runner.hpp"

using namespace neuropipe;
using namespace neuropipe::test;

namespace {

void check_parity(const std::string& search, const nlohmann::json& expected,
                  const nlohmann::json& reference) {
  nlohmann::json params = {{"encoder", caption_export_file("show-and-tell-encoder.onnx").string()},
                           {"decoder", caption_export_file("show-and-tell-decoder.onnx").string()},
                           {"vocab", caption_export_file("show-and-tell-vocab.txt").string()},
                           {"search", search},
                           {"length_penalty", reference["length_penalty"]},
                           {"max_length", reference["max_length"]}};
  if (search == "beam") params["beam_width"] = expected["beam_width"];
  const PluginRunner runner("caption");
  auto node = runner.node(params, "caption");
  const cv::Mat photo = cv::imread(caption_export_file("caption_input.png").string(), cv::IMREAD_COLOR);
  REQUIRE(photo.size() == cv::Size(224, 224));
  Frame frame(photo, FrameOrigin{});
  node->process(frame);
  auto caption = frame.get_as<Caption>("caption");
  REQUIRE(caption);
  const auto tokens = expected["tokens"].get<std::vector<int>>();
  const double score_diff = std::abs(double(caption->score) - expected["score"].get<double>());
  const bool equal = caption->tokens == tokens;
  std::cout << "parity caption tokens_equal=" << equal << " search=" << search
            << " max_score_diff=" << score_diff << " length=" << caption->tokens.size() << " text='"
            << caption->text << "'\n";
  CHECK(caption->tokens == tokens);
  CHECK(score_diff < 1e-3);
  CHECK(tokens.size() > 3);  // a real caption, not an immediate <end>
}

}  // namespace

TEST_CASE("caption parity: greedy decoding of a real photo matches PyTorch", "[caption][parity]") {
  const auto reference = caption_reference();
  check_parity("greedy", reference["greedy"], reference);
}

TEST_CASE("caption parity: beam search (width 3, length normalised) matches PyTorch", "[caption][parity]") {
  const auto reference = caption_reference();
  check_parity("beam", reference["beam"], reference);
}
