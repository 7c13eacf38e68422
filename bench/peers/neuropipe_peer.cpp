// The NeuroPipe engine as a benchmark peer.
#include "neuropipe/nn/model.hpp"
#include "peers/peer.hpp"

namespace neuropipe::bench {

namespace {
class NeuroPipePeer final : public Peer {
 public:
  NeuroPipePeer(const PeerConfig& cfg, bool optimize) : optimize_(optimize) {
    nn::Engine::set_max_threads(cfg.threads);
    nn::LoadOptions options;
    options.optimize = optimize;
    model_ = nn::Model::load(cfg.model_path, options);
    for (int k = 0; k < cfg.streams; ++k) sessions_.emplace_back(model_);
    for (const auto& in : cfg.inputs) inputs_[in.name] = in.tensor;
  }
  std::string name() const override { return optimize_ ? "neuropipe" : "neuropipe-unoptimized"; }
  void run_once(int stream) override { sessions_[static_cast<size_t>(stream)].run(inputs_); }

 private:
  bool optimize_;
  std::shared_ptr<const nn::Model> model_;
  std::vector<nn::Session> sessions_;
  nn::NamedTensors inputs_;
};
}  // namespace

std::unique_ptr<Peer> make_neuropipe_peer(const PeerConfig& cfg, bool optimize) {
  return std::make_unique<NeuroPipePeer>(cfg, optimize);
}

}  // namespace neuropipe::bench
