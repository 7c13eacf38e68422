// OpenCV DNN 4.6 (Debian) as a benchmark peer.
#include <cstring>

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>

#include "neuropipe/error.hpp"
#include "peers/peer.hpp"

namespace neuropipe::bench {

namespace {
cv::Mat to_blob(const nn::Tensor& t) {
  std::vector<int> dims(t.shape().begin(), t.shape().end());
  nn::Tensor f = t.dtype() == nn::DType::f32 ? t : t.to(nn::DType::f32);
  cv::Mat m(static_cast<int>(dims.size()), dims.data(), CV_32F);
  std::memcpy(m.data, f.raw(), f.bytes());
  return m;
}

class OpenCvPeer final : public Peer {
 public:
  explicit OpenCvPeer(const PeerConfig& cfg) {
    cv::setNumThreads(cfg.threads);
    try {
      for (const auto& in : cfg.inputs) blobs_.push_back(to_blob(in.tensor));
      // cv::dnn::Net is not thread-safe: one net per concurrent stream.
      for (int k = 0; k < cfg.streams; ++k) {
        Stream s{cv::dnn::readNetFromONNX(cfg.model_path), {}};
        for (size_t i = 0; i < blobs_.size(); ++i) s.net.setInput(blobs_[i], cfg.inputs[i].name);
        s.net.forward(s.outputs, s.net.getUnconnectedOutLayersNames());  // validates the graph
        streams_.push_back(std::move(s));
      }
    } catch (const cv::Exception& e) {
      throw Error("OpenCV DNN cannot run " + cfg.model_path + ": " + e.msg);
    }
  }
  std::string name() const override { return "opencv"; }
  void run_once(int stream) override {
    auto& s = streams_[static_cast<size_t>(stream)];
    s.net.forward(s.outputs, s.net.getUnconnectedOutLayersNames());
  }

 private:
  struct Stream {
    cv::dnn::Net net;
    std::vector<cv::Mat> outputs;
  };
  std::vector<cv::Mat> blobs_;
  std::vector<Stream> streams_;
};
}  // namespace

std::unique_ptr<Peer> make_opencv_peer(const PeerConfig& cfg) { return std::make_unique<OpenCvPeer>(cfg); }

}  // namespace neuropipe::bench
