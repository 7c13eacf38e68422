#pragma once
// Records every node call for a Chrome/Perfetto trace (chrome://tracing,
// ui.perfetto.dev): one complete event per call with thread and frame.
#include <chrono>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace neuropipe::pipeline::detail {

class TraceRecorder {
 public:
  using Clock = std::chrono::steady_clock;
  explicit TraceRecorder(bool enabled) : enabled_(enabled), origin_(Clock::now()) {}
  bool enabled() const { return enabled_; }
  void record(const std::string& node, Clock::time_point start, Clock::time_point end,
              const std::string& source, int64_t frame, size_t batch);
  // Throws neuropipe::Error naming the file when it cannot be written.
  void write(const std::filesystem::path& file) const;

 private:
  struct Event {
    std::string node, source;
    int64_t ts_us, dur_us, frame;
    size_t batch;
    std::thread::id thread;
  };
  const bool enabled_;
  const Clock::time_point origin_;
  mutable std::mutex mutex_;
  std::vector<Event> events_;
};

}  // namespace neuropipe::pipeline::detail
