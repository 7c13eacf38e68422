#pragma once
// The Show and Tell captioner (Vinyals et al.) as tools/export/caption.py
// exports it: an encoder graph (image -> feature, run once per frame) and a
// decoder-step graph (one LSTM step for a batch of hypotheses: token or image
// feature + h, c -> word log-probabilities + h', c'), plus the vocabulary.
// Thread-safe: the graphs run through session pools and every caption has its
// own decoding state, so several frames may be captioned at once.
#include <filesystem>
#include <memory>
#include <neuropipe/metadata.hpp>
#include <neuropipe/nn/session_pool.hpp>
#include <neuropipe/plugin/sdk.hpp>
#include <neuropipe/plugin/vision.hpp>
#include <string>

#include "beam_search.hpp"
#include "vocabulary.hpp"

namespace neuropipe::caption {

struct ModelFiles {
  std::filesystem::path encoder, decoder, vocab;
};

// The files of a manifest entry (task caption): `file` is the encoder,
// extra.decoder and extra.vocab the others, in the cache. An export-only entry
// not yet fetched (`neuropipe models fetch`) is read from the seeded export in
// <cache>/exports/<export_recipe>/ (tools/test.sh makes it), else fetched now
// (download and export); errors say how to make either.
ModelFiles manifest_files(models::ModelStore& store, const std::string& model_name);

class ShowAndTell {
 public:
  // `input` is the encoder's pre-processing (size, colour order, mean/std).
  ShowAndTell(const ModelFiles& files, const models::InputSpec& input, plugin::Context& ctx);

  // The caption of one BGR image.
  Caption describe(const cv::Mat& bgr, const DecodeOptions& options);
  // The encoder's feature [embed] for one BGR image (parity tests compare it).
  std::vector<float> feature(const cv::Mat& bgr);
  const Vocabulary& vocabulary() const { return vocab_; }

 private:
  class Decoder;  // one caption's recurrent state, a StepDecoder

  models::InputSpec input_;
  Vocabulary vocab_;
  std::unique_ptr<nn::SessionPool> encoder_, decoder_;
  int64_t hidden_ = 0, embed_ = 0;  // LSTM state size, image feature size
};

}  // namespace neuropipe::caption
