// @PLUGIN_NAME@: measures how bright each frame is and flags dark frames.
// Replace process() with your own logic; docs/writing-plugins.md explains
// parameters, metadata, concurrency flags and errors.
#include <neuropipe/plugin/sdk.hpp>
#include <opencv2/imgproc.hpp>

namespace np = neuropipe;
using namespace np::plugin;

class @PLUGIN_CLASS@ : public Node {
 public:
  explicit @PLUGIN_CLASS@(const Params& params) : dark_below_(params.get<double>("dark_below")) {}

  void process(np::Frame& frame, Context& ctx) override {
    cv::Mat gray;
    cv::cvtColor(frame.image(), gray, cv::COLOR_BGR2GRAY);
    const double brightness = cv::mean(gray)[0];
    auto result = std::make_shared<np::JsonMetadata>();
    result->kind_name = "@PLUGIN_NAME@";
    result->value = {{"brightness", brightness}, {"dark", brightness < dark_below_}};
    frame.put(ctx.node_name(), result);  // results are keyed by the node's name
  }

 private:
  double dark_below_;
};

NEUROPIPE_PLUGIN(@PLUGIN_CLASS@, {.name = "@PLUGIN_NAME@",
                                  .version = "0.1.0",
                                  .description = "Mean brightness of each frame; flags dark frames",
                                  .params = {param::real("dark_below", 40, "brightness under which a frame is dark")
                                                 .between(0, 255)},
                                  .writes = {"@PLUGIN_NAME@"},
                                  .concurrent = true});
