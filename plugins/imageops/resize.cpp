// resize: scales the frame to a size or by a factor, stretching, keeping the
// aspect ratio, or letterboxing (keep aspect, pad to the exact size).
#include <cmath>

#include <neuropipe/plugin/sdk.hpp>

#include "interpolation.hpp"

namespace np = neuropipe;
using namespace np::plugin;

namespace {

class Resize : public Node {
 public:
  explicit Resize(const Params& p)
      : width_(p.get<int>("width")),
        height_(p.get<int>("height")),
        scale_(p.get<double>("scale")),
        mode_(p.get<std::string>("mode")),
        interpolation_(np::imageops::interpolations().at(p.get<std::string>("interpolation"))),
        pad_(p.get<int>("pad_value")) {
    const bool by_size = width_ > 0 || height_ > 0;
    if (by_size == (scale_ > 0)) throw np::Error("give either width/height or scale (> 0), not both or neither");
    if (by_size && mode_ != "keep_aspect" && (width_ == 0 || height_ == 0))
      throw np::Error("mode '" + mode_ + "' needs both width and height; only 'keep_aspect' derives one");
  }

  void process(np::Frame& frame, Context&) override {
    const cv::Mat in = frame.image();
    if (in.empty()) throw np::Error("frame " + std::to_string(frame.origin().index) + " has no image");
    const cv::Size fitted = fitted_size(in.size());
    cv::Mat out;
    cv::resize(in, out, fitted, 0, 0, interpolation_);
    if (mode_ == "letterbox" && fitted != cv::Size(width_, height_)) out = letterbox(out);
    frame.set_image(out);
  }

 private:
  // The size the picture itself is scaled to (before any letterbox padding).
  cv::Size fitted_size(cv::Size in) const {
    if (scale_ > 0) return {scaled(in.width, scale_), scaled(in.height, scale_)};
    if (mode_ == "stretch") return {width_, height_};
    double factor = std::min(width_ > 0 ? double(width_) / in.width : HUGE_VAL,
                             height_ > 0 ? double(height_) / in.height : HUGE_VAL);
    return {scaled(in.width, factor), scaled(in.height, factor)};
  }
  static int scaled(int v, double f) { return std::max(1, static_cast<int>(std::lround(v * f))); }

  cv::Mat letterbox(const cv::Mat& picture) const {
    cv::Mat canvas(height_, width_, picture.type(), cv::Scalar::all(pad_));
    const int x = (width_ - picture.cols) / 2, y = (height_ - picture.rows) / 2;
    picture.copyTo(canvas(cv::Rect(x, y, picture.cols, picture.rows)));
    return canvas;
  }

  int width_, height_;
  double scale_;
  std::string mode_;
  int interpolation_;
  int pad_;
};

}  // namespace

NEUROPIPE_PLUGIN(Resize,
                 {.name = "resize",
                  .version = "1.0.0",
                  .description = "Resizes the frame to a size or by a factor (stretch, keep_aspect, letterbox)",
                  .params = {param::integer("width", 0, "target width in pixels (0: derived in keep_aspect)")
                                 .between(0, 16384),
                             param::integer("height", 0, "target height in pixels (0: derived in keep_aspect)")
                                 .between(0, 16384),
                             param::real("scale", 0.0, "scale factor instead of a size (0: use width/height)")
                                 .between(0, 16),
                             param::text("mode", "stretch",
                                         "stretch: exact size; keep_aspect: fit inside; letterbox: fit and pad")
                                 .one_of({"stretch", "keep_aspect", "letterbox"}),
                             param::text("interpolation", "linear", "resampling filter")
                                 .one_of(np::imageops::interpolation_names()),
                             param::integer("pad_value", 0, "grey level of letterbox bars").between(0, 255)},
                  .writes = {"image"},
                  .concurrent = true});
