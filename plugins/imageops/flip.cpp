// flip: mirrors the frame or turns it by a multiple of 90 degrees (cameras
// mounted sideways or upside down).
#include <neuropipe/plugin/sdk.hpp>

namespace np = neuropipe;
using namespace np::plugin;

namespace {

class Flip : public Node {
 public:
  explicit Flip(const Params& p) : how_(p.get<std::string>("how")) {}

  void process(np::Frame& frame, Context&) override {
    const cv::Mat in = frame.image();
    cv::Mat out;
    if (how_ == "horizontal") cv::flip(in, out, 1);
    else if (how_ == "vertical") cv::flip(in, out, 0);
    else if (how_ == "both") cv::flip(in, out, -1);
    else if (how_ == "rotate90") cv::rotate(in, out, cv::ROTATE_90_CLOCKWISE);
    else if (how_ == "rotate180") cv::rotate(in, out, cv::ROTATE_180);
    else cv::rotate(in, out, cv::ROTATE_90_COUNTERCLOCKWISE);  // rotate270, the last choice
    frame.set_image(out);
  }

 private:
  std::string how_;
};

}  // namespace

NEUROPIPE_PLUGIN(Flip, {.name = "flip",
                        .version = "1.0.0",
                        .description = "Mirrors the frame or rotates it by 90/180/270 degrees clockwise",
                        .params = {param::text("how", "horizontal", "mirror axis or rotation")
                                       .one_of({"horizontal", "vertical", "both", "rotate90", "rotate180",
                                                "rotate270"})},
                        .writes = {"image"},
                        .concurrent = true});
