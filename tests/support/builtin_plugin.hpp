#pragma once
// Loading one built-in plugin from this build tree and running it on a frame.
#include <memory>
#include <string>

#include <opencv2/imgcodecs.hpp>

#include "neuropipe/plugin/host.hpp"
#include "test_support.hpp"

namespace neuropipe::test {

class BuiltinPlugin {
 public:
  explicit BuiltinPlugin(const std::string& name) {
    registry_.add_library(binary_dir() / "plugins" / "lib" / ("libneuropipe_" + name + ".so"));
    name_ = name;
  }
  std::unique_ptr<plugin::NodeInstance> node(const nlohmann::json& params) const {
    return registry_.create(name_, name_ + "_node", params);
  }
  // Runs a fresh node with `params` over `image` (plus `metadata`), returning the new pixels.
  cv::Mat run(const cv::Mat& image, const nlohmann::json& params,
              std::shared_ptr<const Metadata> metadata = nullptr) const {
    Frame frame(image.clone(), FrameOrigin{});
    if (metadata) frame.put("upstream", std::move(metadata));
    node(params)->process(frame);
    return frame.image();
  }

 private:
  plugin::PluginRegistry registry_;
  std::string name_;
};

inline cv::Mat shared_image(const std::string& relative) {
  cv::Mat image = cv::imread(shared_file(relative).string(), cv::IMREAD_COLOR);
  if (image.empty()) throw std::runtime_error("cannot decode " + shared_file(relative).string());
  return image;
}

// Pixels where a and b differ (CV_8U mask).
inline cv::Mat changed(const cv::Mat& a, const cv::Mat& b) {
  cv::Mat diff, gray;
  cv::absdiff(a, b, diff);
  cv::cvtColor(diff, gray, cv::COLOR_BGR2GRAY);
  return gray > 0;
}

}  // namespace neuropipe::test
