#pragma once
// A peer is one inference engine measured by `neuropipe bench`: NeuroPipe's
// own engine, ONNX Runtime and OpenCV DNN run the same model on the same
// input, each in its own worker process (so peak RSS is per peer).
#include <memory>
#include <string>
#include <vector>

#include "neuropipe/nn/tensor.hpp"

namespace neuropipe::bench {

struct NamedInput {
  std::string name;
  nn::Tensor tensor;   // f32 unless the model's input is another type
};

class Peer {
 public:
  virtual ~Peer() = default;
  virtual std::string name() const = 0;
  // One inference on the prepared inputs from caller `stream` (0..streams-1;
  // streams run concurrently, each on its own session/net of one model).
  virtual void run_once(int stream) = 0;
};

struct PeerConfig {
  std::string model_path;
  int threads = 1;
  int streams = 1;
  std::vector<NamedInput> inputs;
};

// Each factory throws neuropipe::Error when the peer cannot load the model
// (unsupported op, peer not built in) so the table can say why.
// optimize = false: LoadOptions::optimize off (no fusion passes), to measure what they gain.
std::unique_ptr<Peer> make_neuropipe_peer(const PeerConfig& cfg, bool optimize = true);
std::unique_ptr<Peer> make_onnxruntime_peer(const PeerConfig& cfg);
std::unique_ptr<Peer> make_opencv_peer(const PeerConfig& cfg);
bool onnxruntime_available();
// Runs the model once in ONNX Runtime and returns every output (the oracle of
// the parity tests).
std::vector<NamedInput> onnxruntime_infer(const std::string& model_path, const std::vector<NamedInput>& inputs,
                                          int threads = 2);

std::unique_ptr<Peer> make_peer(const std::string& peer, const PeerConfig& cfg);

}  // namespace neuropipe::bench
