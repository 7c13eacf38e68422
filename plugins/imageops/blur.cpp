// blur: softens the whole frame, or only the boxes a detector found (faces,
// licence plates): the usual anonymisation step before storing video.
#include <neuropipe/plugin/sdk.hpp>
#include <opencv2/imgproc.hpp>

namespace np = neuropipe;
using namespace np::plugin;

namespace {

class Blur : public Node {
 public:
  explicit Blur(const Params& p)
      : method_(p.get<std::string>("method")),
        kernel_(p.get<int>("kernel") | 1),  // odd sizes only: Gaussian and median need a centre pixel
        region_(p.get<std::string>("region")),
        grow_(p.get<double>("grow")) {}

  void process(np::Frame& frame, Context&) override {
    cv::Mat image = frame.image().clone();
    if (region_ == "frame") {
      blur(image);
    } else if (auto detections = frame.latest<np::Detections>()) {
      const cv::Rect bounds(0, 0, image.cols, image.rows);
      for (const auto& d : detections->items) {
        cv::Rect box = cv::Rect(grown(d.box)) & bounds;
        if (box.area() == 0) continue;
        cv::Mat roi = image(box);
        blur(roi);
      }
    }
    frame.set_image(image);
  }

 private:
  cv::Rect2f grown(const cv::Rect2f& box) const {
    const float dx = box.width * float(grow_) / 2, dy = box.height * float(grow_) / 2;
    return {box.x - dx, box.y - dy, box.width + 2 * dx, box.height + 2 * dy};
  }

  void blur(cv::Mat& roi) const {
    const int k = std::min(kernel_, std::max(1, std::min(roi.cols, roi.rows) | 1));
    if (method_ == "gaussian") cv::GaussianBlur(roi, roi, {k, k}, 0);
    else if (method_ == "box") cv::blur(roi, roi, {k, k});
    else if (method_ == "median") cv::medianBlur(roi.clone(), roi, k);
    else pixelate(roi, k);
  }

  static void pixelate(cv::Mat& roi, int block) {
    cv::Mat small;
    cv::resize(roi, small, {std::max(1, roi.cols / block), std::max(1, roi.rows / block)}, 0, 0, cv::INTER_AREA);
    cv::resize(small, roi, roi.size(), 0, 0, cv::INTER_NEAREST);
  }

  std::string method_;
  int kernel_;
  std::string region_;
  double grow_;
};

}  // namespace

NEUROPIPE_PLUGIN(Blur, {.name = "blur",
                        .version = "1.0.0",
                        .description = "Blurs or pixelates the frame, or only the detected boxes (anonymisation)",
                        .params = {param::text("method", "gaussian", "blur filter")
                                       .one_of({"gaussian", "box", "median", "pixelate"}),
                                   param::integer("kernel", 31, "filter size / pixel block in pixels (made odd)")
                                       .between(1, 255),
                                   param::text("region", "frame", "frame: everything; detections: every box of "
                                                                  "the latest detections")
                                       .one_of({"frame", "detections"}),
                                   param::real("grow", 0.1, "enlarge each box by this fraction before blurring")
                                       .between(0, 2)},
                        .reads = {"detections?"},
                        .writes = {"image"},
                        .concurrent = true});
