#pragma once
// Loads one plugin library of this build tree into a PluginRegistry, exactly
// as the pipeline runtime does, and runs nodes of it on real pictures.
#include <catch2/catch.hpp>
#include <memory>
#include <opencv2/imgcodecs.hpp>
#include <string>

#include "neuropipe/plugin/host.hpp"
#include "test_support.hpp"

namespace neuropipe::test {

class PluginRunner {
 public:
  explicit PluginRunner(const std::string& plugin) : plugin_(plugin) {
    registry_.add_library(binary_dir() / "plugins" / "lib" / ("libneuropipe_" + plugin + ".so"));
  }
  std::unique_ptr<plugin::NodeInstance> node(const nlohmann::json& params, const std::string& name) const {
    return registry_.create(plugin_, name, params);
  }

 private:
  plugin::PluginRegistry registry_;
  std::string plugin_;
};

inline cv::Mat read_image(const std::string& relative) {
  const auto path = shared_file(relative);
  cv::Mat image = cv::imread(path.string(), cv::IMREAD_COLOR);
  if (image.empty()) FAIL("cannot decode " << path);
  return image;
}

}  // namespace neuropipe::test
