#pragma once
// Loading the detect plugin from this build tree through the plugin registry,
// exactly as the pipeline runtime does, and running it on single frames.
#include <memory>
#include <opencv2/videoio.hpp>
#include <string>

#include "neuropipe/plugin/host.hpp"
#include "test_support.hpp"

namespace neuropipe::test {

class DetectNode {
 public:
  explicit DetectNode(const nlohmann::json& params) {
    registry_.add_library(binary_dir() / "plugins" / "lib" / "libneuropipe_detect.so");
    node_ = registry_.create("detect", "detect", params);
  }
  Detections run(const cv::Mat& bgr, int64_t index = 0) {
    FrameOrigin origin;
    origin.index = index;
    Frame frame(bgr, origin);
    node_->process(frame);
    auto result = frame.get_as<Detections>("detect");
    if (!result) throw std::runtime_error("detect attached no Detections under its node name");
    return *result;
  }

 private:
  plugin::PluginRegistry registry_;
  std::unique_ptr<plugin::NodeInstance> node_;
};

// Frame `index` of a video under ../shared/media/video.
inline cv::Mat video_frame(const std::string& name, int index) {
  const auto path = shared_file("media/video/" + name);
  cv::VideoCapture video(path.string());
  if (!video.isOpened()) throw std::runtime_error("cannot open " + path.string());
  video.set(cv::CAP_PROP_POS_FRAMES, index);
  cv::Mat frame;
  if (!video.read(frame))
    throw std::runtime_error("cannot read frame " + std::to_string(index) + " of " + path.string());
  return frame;
}

}  // namespace neuropipe::test
