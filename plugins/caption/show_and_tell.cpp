#include "show_and_tell.hpp"

#include <algorithm>
#include <neuropipe/error.hpp>

namespace neuropipe::caption {
namespace {

namespace fs = std::filesystem;

// extra.<key>: a file path of the entry, relative like `file`.
std::string extra_file(const models::ModelEntry& entry, const std::string& key) {
  auto it = entry.extra.find(key);
  if (it == entry.extra.end() || !it->is_string())
    throw Error("model '" + entry.name + "' (manifest line " + std::to_string(entry.line) + "): extra." +
                key + " must name the " + key + " file");
  return it->get<std::string>();
}

const nn::Tensor& output(const nn::NamedTensors& outputs, const std::string& name, const std::string& graph) {
  auto it = outputs.find(name);
  if (it == outputs.end()) throw Error(graph + " graph has no output '" + name + "'");
  return it->second;
}

int64_t last_dim(const nn::Model& model, const std::string& input, const std::string& graph) {
  for (const auto& info : model.inputs())
    if (info.name == input) {
      if (info.shape.empty() || info.shape.back() <= 0)
        throw Error(graph + " graph input '" + input + "' has no fixed last dimension");
      return info.shape.back();
    }
  throw Error(graph + " graph has no input '" + input + "' (expected token, feature, h, c)");
}

bool all_exist(const ModelFiles& files) {
  return fs::exists(files.encoder) && fs::exists(files.decoder) && fs::exists(files.vocab);
}

}  // namespace

ModelFiles manifest_files(models::ModelStore& store, const std::string& model_name) {
  const models::ModelEntry& entry = store.info(model_name);
  if (entry.task != "caption")
    throw Error("model '" + model_name + "' is a '" + entry.task + "' model, not a caption model");
  const fs::path encoder = entry.file, decoder = extra_file(entry, "decoder"),
                 vocab = extra_file(entry, "vocab");
  const fs::path cache = store.config().cache_dir;
  const ModelFiles stored{cache / encoder, cache / decoder, cache / vocab};
  if (!entry.export_only() || all_exist(stored)) return stored;  // downloaded, or fetched and exported
  // Export-only and not fetched: the seeded export tools/test.sh makes, else
  // fetch (download the upstream weights and run the recipe).
  const fs::path dir = cache / "exports" / entry.export_recipe;
  const ModelFiles seeded{dir / encoder.filename(), dir / decoder.filename(), dir / vocab.filename()};
  if (all_exist(seeded)) return seeded;
  try {
    store.fetch(model_name);
  } catch (const Error& e) {
    throw Error(std::string(e.what()) + "\n(for seeded random weights instead, export them with tools/export/" +
                entry.export_recipe + ".py --out " + dir.string() + "; see docs/plugins/caption.md)");
  }
  return stored;
}

// The recurrent state of one caption's hypotheses: rows of h and c [hidden].
class ShowAndTell::Decoder final : public StepDecoder {
 public:
  Decoder(nn::SessionPool& pool, std::vector<float> feature, int64_t hidden, size_t vocab_size)
      : pool_(pool), feature_(std::move(feature)), hidden_(hidden), vocab_size_(vocab_size) {}

  void reset() override {
    h_.assign(size_t(hidden_), 0.f);
    c_.assign(size_t(hidden_), 0.f);
  }

  std::vector<std::vector<float>> step(const std::vector<int>& tokens) override {
    const int64_t batch = int64_t(tokens.size());
    if (batch * hidden_ != int64_t(h_.size()))
      throw Error("caption decoder: " + std::to_string(tokens.size()) + " tokens for " +
                  std::to_string(h_.size() / size_t(hidden_)) + " hypotheses");
    std::vector<int64_t> ids(tokens.begin(), tokens.end());
    std::vector<float> features;
    for (int64_t b = 0; b < batch; ++b) features.insert(features.end(), feature_.begin(), feature_.end());
    const auto out =
        pool_.run({{"token", nn::Tensor::from_vector(ids, {batch})},
                   {"feature", nn::Tensor::from_vector(features, {batch, int64_t(feature_.size())})},
                   {"h", nn::Tensor::from_vector(h_, {1, batch, hidden_})},
                   {"c", nn::Tensor::from_vector(c_, {1, batch, hidden_})}});
    const nn::Tensor& log_probs = output(out, "log_probs", "decoder");
    if (log_probs.numel() != batch * int64_t(vocab_size_))
      throw Error("decoder graph gives " + nn::shape_to_string(log_probs.shape()) + " word scores for " +
                  std::to_string(batch) + " hypotheses and a vocabulary of " + std::to_string(vocab_size_) +
                  " words: the vocabulary file does not belong to this decoder");
    h_ = copy(output(out, "h_out", "decoder"));
    c_ = copy(output(out, "c_out", "decoder"));
    const auto scores = copy(log_probs);
    std::vector<std::vector<float>> rows;
    for (int64_t b = 0; b < batch; ++b)
      rows.emplace_back(scores.begin() + b * int64_t(vocab_size_),
                        scores.begin() + (b + 1) * int64_t(vocab_size_));
    return rows;
  }

  void keep(const std::vector<int>& hypotheses) override {
    h_ = rows_of(h_, hypotheses);
    c_ = rows_of(c_, hypotheses);
  }

 private:
  std::vector<float> copy(const nn::Tensor& t) const {
    const nn::Tensor f = t.dtype() == nn::DType::f32 ? t : t.to(nn::DType::f32);
    return {f.data<float>(), f.data<float>() + f.numel()};
  }
  std::vector<float> rows_of(const std::vector<float>& state, const std::vector<int>& rows) const {
    std::vector<float> out;
    for (int r : rows) {
      if (r < 0 || size_t(r + 1) * size_t(hidden_) > state.size())
        throw Error("caption decoder: no hypothesis " + std::to_string(r) + " to keep");
      out.insert(out.end(), state.begin() + r * hidden_, state.begin() + (r + 1) * hidden_);
    }
    return out;
  }

  nn::SessionPool& pool_;
  std::vector<float> feature_;
  int64_t hidden_;
  size_t vocab_size_;
  std::vector<float> h_, c_;
};

ShowAndTell::ShowAndTell(const ModelFiles& files, const models::InputSpec& input, plugin::Context& ctx)
    : input_(input), vocab_(Vocabulary::load(files.vocab)) {
  encoder_ = std::make_unique<nn::SessionPool>(ctx.load_model(files.encoder));
  decoder_ = std::make_unique<nn::SessionPool>(ctx.load_model(files.decoder));
  const std::string decoder_name = "decoder (" + files.decoder.string() + ")";
  hidden_ = last_dim(decoder_->model(), "h", decoder_name);
  if (last_dim(decoder_->model(), "c", decoder_name) != hidden_)
    throw Error(decoder_name + " graph: inputs h and c differ in size");
  embed_ = last_dim(decoder_->model(), "feature", decoder_name);
}

std::vector<float> ShowAndTell::feature(const cv::Mat& bgr) {
  const plugin::PreparedInput in = plugin::prepare_input(bgr, input_, plugin::ResizeMode::stretch);
  const auto out = encoder_->run({{input_.tensor, in.tensor}});
  const nn::Tensor& f = output(out, "feature", "encoder");
  const nn::Tensor f32 = f.dtype() == nn::DType::f32 ? f : f.to(nn::DType::f32);
  if (f32.numel() != embed_)
    throw Error("encoder feature has " + std::to_string(f32.numel()) + " values, the decoder takes " +
                std::to_string(embed_) + ": encoder and decoder files do not belong together");
  return {f32.data<float>(), f32.data<float>() + f32.numel()};
}

Caption ShowAndTell::describe(const cv::Mat& bgr, const DecodeOptions& options) {
  Decoder decoder(*decoder_, feature(bgr), hidden_, vocab_.size());
  const Decoded d = decode(decoder, vocab_.end(), options);
  Caption c;
  c.tokens = d.tokens;
  c.score = float(d.score);
  c.text = vocab_.text(d.tokens);
  return c;
}

}  // namespace neuropipe::caption
