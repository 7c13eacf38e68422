// color_convert: colour changes that keep the pipeline's BGR 8-bit format
// (grey is stored as three equal channels so later nodes need no special case).
#include <neuropipe/plugin/sdk.hpp>
#include <opencv2/imgproc.hpp>

namespace np = neuropipe;
using namespace np::plugin;

namespace {

cv::Mat to_gray(const cv::Mat& bgr) {
  cv::Mat gray, out;
  cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
  cv::cvtColor(gray, out, cv::COLOR_GRAY2BGR);
  return out;
}

cv::Mat swap_red_blue(const cv::Mat& bgr) {
  cv::Mat out;
  cv::cvtColor(bgr, out, cv::COLOR_BGR2RGB);
  return out;
}

cv::Mat invert(const cv::Mat& bgr) {
  cv::Mat out;
  cv::bitwise_not(bgr, out);
  return out;
}

// Histogram equalisation of the luma only, so colours do not shift.
cv::Mat equalize(const cv::Mat& bgr) {
  cv::Mat ycrcb, out;
  cv::cvtColor(bgr, ycrcb, cv::COLOR_BGR2YCrCb);
  std::vector<cv::Mat> planes;
  cv::split(ycrcb, planes);
  cv::equalizeHist(planes[0], planes[0]);
  cv::merge(planes, ycrcb);
  cv::cvtColor(ycrcb, out, cv::COLOR_YCrCb2BGR);
  return out;
}

cv::Mat sepia(const cv::Mat& bgr) {
  const cv::Matx33f kernel(0.131f, 0.534f, 0.272f,   // B
                           0.168f, 0.686f, 0.349f,   // G
                           0.189f, 0.769f, 0.393f);  // R
  cv::Mat out;
  cv::transform(bgr, out, kernel);
  return out;
}

using Conversion = cv::Mat (*)(const cv::Mat&);
const std::map<std::string, Conversion>& conversions() {
  static const std::map<std::string, Conversion> table = {
      {"gray", to_gray}, {"swap_rb", swap_red_blue}, {"invert", invert}, {"equalize", equalize}, {"sepia", sepia}};
  return table;
}

class ColorConvert : public Node {
 public:
  explicit ColorConvert(const Params& p) : convert_(conversions().at(p.get<std::string>("to"))) {}

  void process(np::Frame& frame, Context&) override { frame.set_image(convert_(frame.image())); }

 private:
  Conversion convert_;
};

std::vector<std::string> conversion_names() {
  std::vector<std::string> names;
  for (const auto& [name, fn] : conversions()) names.push_back(name);
  return names;
}

}  // namespace

NEUROPIPE_PLUGIN(ColorConvert,
                 {.name = "color_convert",
                  .version = "1.0.0",
                  .description = "Colour conversions that keep BGR 8-bit: gray, swap_rb, invert, equalize, sepia",
                  .params = {param::text("to", "gray", "the conversion").one_of(conversion_names())},
                  .writes = {"image"},
                  .concurrent = true});
