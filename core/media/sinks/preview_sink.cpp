// Preview sink: shows frames in a window (OpenCV highgui). Without a display
// it refuses to open, with an error that says why, instead of crashing in
// the GUI toolkit.
#include <cstdlib>
#include <opencv2/highgui.hpp>

#include "media/sinks/sink_kinds.hpp"

namespace neuropipe::media {

namespace {

bool has_display() {
  for (const char* variable : {"DISPLAY", "WAYLAND_DISPLAY"})
    if (const char* value = std::getenv(variable); value && *value) return true;
  return false;
}

class PreviewSink final : public Sink {
 public:
  explicit PreviewSink(const SinkSpec& spec) : window_(spec.uri.empty() ? spec.name : spec.uri) {
    if (!has_display())
      throw Error("sink '" + spec.name +
                  "': preview needs a display, but neither DISPLAY nor WAYLAND_DISPLAY is set");
    try {
      cv::namedWindow(window_, cv::WINDOW_AUTOSIZE);
    } catch (const cv::Exception& e) {
      throw Error("sink '" + spec.name + "': cannot open a preview window: " + e.what());
    }
  }
  ~PreviewSink() override { abort(); }

  void write(const Frame& frame) override {
    cv::imshow(window_, frame.image());
    cv::waitKey(1);  // lets the toolkit paint; the pipeline sets the pace
  }
  void close() override { abort(); }
  void abort() override {
    if (open_) cv::destroyWindow(window_);
    open_ = false;
  }

 private:
  std::string window_;
  bool open_ = true;
};

}  // namespace

std::unique_ptr<Sink> open_preview_sink(const SinkSpec& spec, const SourceInfo&) {
  return std::make_unique<PreviewSink>(spec);
}

}  // namespace neuropipe::media
