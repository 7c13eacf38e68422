// crop: cuts a rectangle out of the frame, in pixels or as fractions of the
// frame size (so one pipeline works at any resolution).
#include <cmath>

#include <neuropipe/plugin/sdk.hpp>

namespace np = neuropipe;
using namespace np::plugin;

namespace {

class Crop : public Node {
 public:
  explicit Crop(const Params& p)
      : x_(p.get<double>("x")),
        y_(p.get<double>("y")),
        width_(p.get<double>("width")),
        height_(p.get<double>("height")),
        relative_(p.get<std::string>("units") == "fraction"),
        clamp_(p.get<bool>("clamp")) {
    if (width_ <= 0 || height_ <= 0) throw np::Error("width and height must be > 0");
  }

  void process(np::Frame& frame, Context&) override {
    const cv::Mat in = frame.image();
    const cv::Rect wanted = rect_for(in.size());
    const cv::Rect inside = wanted & cv::Rect(0, 0, in.cols, in.rows);
    if (inside != wanted && !clamp_)
      throw np::Error("crop " + describe(wanted) + " leaves the " + std::to_string(in.cols) + "x" +
                      std::to_string(in.rows) + " frame (set clamp: true to cut it to the frame)");
    if (inside.empty()) throw np::Error("crop " + describe(wanted) + " does not overlap the frame");
    frame.set_image(in(inside).clone());
  }

 private:
  cv::Rect rect_for(cv::Size frame) const {
    const double sx = relative_ ? frame.width : 1.0, sy = relative_ ? frame.height : 1.0;
    return {int(std::lround(x_ * sx)), int(std::lround(y_ * sy)), int(std::lround(width_ * sx)),
            int(std::lround(height_ * sy))};
  }
  static std::string describe(const cv::Rect& r) {
    return "(x " + std::to_string(r.x) + ", y " + std::to_string(r.y) + ", " + std::to_string(r.width) + "x" +
           std::to_string(r.height) + ")";
  }

  double x_, y_, width_, height_;
  bool relative_, clamp_;
};

}  // namespace

NEUROPIPE_PLUGIN(Crop, {.name = "crop",
                        .version = "1.0.0",
                        .description = "Cuts a rectangle (pixels or fractions of the frame) out of the frame",
                        .params = {param::real("x", 0, "left edge").between(0, 16384),
                                   param::real("y", 0, "top edge").between(0, 16384),
                                   param::real("width", 0, "width").between(0, 16384).required(),
                                   param::real("height", 0, "height").between(0, 16384).required(),
                                   param::text("units", "pixels", "pixels, or fraction of the frame size")
                                       .one_of({"pixels", "fraction"}),
                                   param::boolean("clamp", false, "cut a rectangle leaving the frame to it "
                                                                  "instead of failing the frame")},
                        .writes = {"image"},
                        .concurrent = true});
