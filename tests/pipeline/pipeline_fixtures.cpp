#include "pipeline_fixtures.hpp"

#include <chrono>
#include <map>
#include <thread>

#include <catch2/catch.hpp>

namespace neuropipe::test {

namespace {

class SyntheticSource final : public media::Source {
 public:
  SyntheticSource(const media::SourceSpec& spec, int64_t count, int interval_ms, int64_t lose_at)
      : spec_(spec), count_(count), interval_(interval_ms), lose_at_(lose_at) {
    info_.width = 32;
    info_.height = 24;
    info_.fps = interval_ms > 0 ? 1000.0 / interval_ms : 25.0;
    info_.time_base = 1.0 / info_.fps;
    info_.frame_count = count;
    info_.live = interval_ms > 0;
    info_.codec = "synthetic";
    next_due_ = std::chrono::steady_clock::now();
  }
  const media::SourceInfo& info() const override { return info_; }
  FramePtr read() override {
    if (next_ >= count_) return nullptr;
    if (next_ == lose_at_ && !lost_once_) {
      lost_once_ = true;
      throw media::StreamLost("synthetic stream '" + spec_.name + "' lost");
    }
    if (interval_.count() > 0) {  // paced like a camera: frames appear whether or not anyone reads
      next_due_ += interval_;
      std::this_thread::sleep_until(next_due_);
    }
    FrameOrigin origin{spec_.name, spec_.stream_id, next_, next_, info_.time_base, "", ""};
    ++next_;
    return std::make_shared<Frame>(cv::Mat(24, 32, CV_8UC3, cv::Scalar::all(double(origin.index % 256))),
                                   origin);
  }
  void reopen() override { next_due_ = std::chrono::steady_clock::now(); }
  const std::vector<std::string>& errors() const override { return errors_; }

 private:
  media::SourceSpec spec_;
  media::SourceInfo info_;
  int64_t count_, next_ = 0;
  std::chrono::milliseconds interval_;
  int64_t lose_at_;
  bool lost_once_ = false;
  std::chrono::steady_clock::time_point next_due_;
  std::vector<std::string> errors_;
};

class CaptureSink final : public media::Sink {
 public:
  explicit CaptureSink(std::shared_ptr<Captured> into) : into_(std::move(into)) {}
  void write(const Frame& frame) override {
    nlohmann::json meta = nlohmann::json::object();
    for (const auto& [key, item] : frame.all_metadata()) meta[key] = item->to_json();
    std::lock_guard lock(into_->mutex);
    into_->items.push_back({frame.origin().stream_id, frame.origin().source, frame.origin().index, meta});
  }
  void close() override { into_->closed = true; }
  void abort() override { into_->aborted = true; }

 private:
  std::shared_ptr<Captured> into_;
};

std::mutex captures_mutex;
std::map<std::string, std::shared_ptr<Captured>> captures;

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t pos; (pos = text.find(sep, start)) != std::string::npos; start = pos + 1)
    parts.push_back(text.substr(start, pos - start));
  parts.push_back(text.substr(start));
  return parts;
}

}  // namespace

const pipeline::NodeCatalog& test_catalog() {
  static const pipeline::RegistryCatalog catalog(plugin::PluginRegistry::discover({NP_TEST_PLUGIN_DIR}));
  return catalog;
}

std::shared_ptr<Captured> captured(const std::string& name) {
  std::lock_guard lock(captures_mutex);
  auto& slot = captures[name];
  if (!slot) slot = std::make_shared<Captured>();
  return slot;
}

pipeline::MediaFactory test_media() {
  pipeline::MediaFactory media;
  media.open_source = [](const media::SourceSpec& spec) -> std::unique_ptr<media::Source> {
    if (spec.uri.rfind("synthetic://", 0) != 0) return media::open_source(spec);
    const auto parts = split(spec.uri.substr(12), ':');
    const int64_t count = std::stoll(parts.at(0));
    const int interval = parts.size() > 1 ? std::stoi(parts[1]) : 0;
    const int64_t lose_at = parts.size() > 2 ? std::stoll(parts[2]) : -1;
    return std::make_unique<SyntheticSource>(spec, count, interval, lose_at);
  };
  media.open_sink = [](const media::SinkSpec& spec,
                       const media::SourceInfo& info) -> std::unique_ptr<media::Sink> {
    if (spec.uri.rfind("capture://", 0) != 0) return media::open_sink(spec, info);
    return std::make_unique<CaptureSink>(captured(spec.uri.substr(10)));
  };
  return media;
}

pipeline::ValidatedPipeline validated(const std::string& yaml, const pipeline::VariableOverrides& vars) {
  return pipeline::validate(pipeline::load_pipeline_text(yaml, "test.yaml", vars), test_catalog());
}

pipeline::RunSummary run_yaml(const std::string& yaml, pipeline::RunOptions options,
                              const pipeline::VariableOverrides& vars) {
  options.media = test_media();
  pipeline::Runner runner(validated(yaml, vars), test_catalog(), std::move(options));
  return runner.run();
}

}  // namespace neuropipe::test
