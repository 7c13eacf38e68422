// The NeuroPipe engine as a benchmark peer.
#include "neuropipe/nn/model.hpp"
#include "peers/peer.hpp"

namespace neuropipe::bench {

namespace {
class NeuroPipePeer final : public Peer {
 public:
  explicit NeuroPipePeer(const PeerConfig& cfg) {
    nn::Engine::set_max_threads(cfg.threads);
    model_ = nn::Model::load(cfg.model_path);
    for (int k = 0; k < cfg.streams; ++k) sessions_.emplace_back(model_);
    for (const auto& in : cfg.inputs) inputs_[in.name] = in.tensor;
  }
  std::string name() const override { return "neuropipe"; }
  void run_once(int stream) override { sessions_[static_cast<size_t>(stream)].run(inputs_); }

 private:
  std::shared_ptr<const nn::Model> model_;
  std::vector<nn::Session> sessions_;
  nn::NamedTensors inputs_;
};
}  // namespace

std::unique_ptr<Peer> make_neuropipe_peer(const PeerConfig& cfg) { return std::make_unique<NeuroPipePeer>(cfg); }

}  // namespace neuropipe::bench
