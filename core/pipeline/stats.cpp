#include "neuropipe/pipeline/stats.hpp"

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <sstream>

#include "pipeline/node_metrics.hpp"

namespace neuropipe::pipeline {

namespace detail {

double percentile(std::vector<float> samples, double p) {
  if (samples.empty()) return 0;
  const size_t k = std::min(samples.size() - 1, size_t(p * double(samples.size() - 1) + 0.5));
  std::nth_element(samples.begin(), samples.begin() + k, samples.end());
  return samples[k];
}

void NodeMetrics::record_call(double call_ms, double wait_ms, size_t frames) {
  std::lock_guard lock(mutex_);
  call_ms_.push_back(float(call_ms));
  wait_ms_sum_ += wait_ms;
  frames_ += frames;
  max_batch_ = std::max<uint64_t>(max_batch_, frames);
}

NodeStats NodeMetrics::snapshot(const std::string& name, bool disabled) const {
  std::lock_guard lock(mutex_);
  NodeStats s;
  s.name = name;
  s.calls = call_ms_.size();
  s.frames = frames_;
  s.errors = errors_.load();
  s.skipped = skipped_.load();
  s.p50_ms = percentile(call_ms_, 0.50);
  s.p95_ms = percentile(call_ms_, 0.95);
  s.latency_sum_ms = std::accumulate(call_ms_.begin(), call_ms_.end(), 0.0);
  s.queue_wait_ms = s.calls ? wait_ms_sum_ / double(s.calls) : 0;
  s.max_batch = max_batch_;
  s.disabled = disabled;
  return s;
}

}  // namespace detail

const char* to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::completed:
      return "completed";
    case Outcome::stopped:
      return "stopped (interrupted; outputs closed)";
    case Outcome::aborted:
      return "aborted (partial outputs removed)";
    case Outcome::failed:
      return "failed";
  }
  return "?";
}

std::string RunSummary::table() const {
  std::ostringstream out;
  char line[256];
  std::snprintf(line, sizeof line, "%s: %lld frames in %.2f s (%.1f fps)\n", to_string(outcome),
                static_cast<long long>(frames), wall_seconds, fps);
  out << line;
  out << "  source               read  written  dropped   failed  reconnects  latency p50/max ms\n";
  for (const auto& s : sources) {
    std::snprintf(line, sizeof line, "  %-16s %8lld %8lld %8lld %8lld %11lld  %8.1f / %.1f\n", s.name.c_str(),
                  static_cast<long long>(s.frames_read), static_cast<long long>(s.frames_written),
                  static_cast<long long>(s.frames_dropped), static_cast<long long>(s.frames_failed),
                  static_cast<long long>(s.reconnects), s.latency_p50_ms, s.latency_max_ms);
    out << line;
  }
  if (!nodes.empty()) {
    out << "  node                calls   frames  p50 ms  p95 ms  wait ms   errors  skipped\n";
    for (const auto& n : nodes) {
      std::snprintf(line, sizeof line, "  %-16s %8llu %8llu %7.2f %7.2f %8.2f %8llu %8llu%s\n",
                    n.name.c_str(), static_cast<unsigned long long>(n.calls),
                    static_cast<unsigned long long>(n.frames), n.p50_ms, n.p95_ms, n.queue_wait_ms,
                    static_cast<unsigned long long>(n.errors), static_cast<unsigned long long>(n.skipped),
                    n.disabled ? "  (disabled)" : "");
      out << line;
    }
  }
  if (!error.empty()) out << "  error: " << error << "\n";
  return out.str();
}

}  // namespace neuropipe::pipeline
