#pragma once
// Counters and latency samples of one node, filled by concurrent calls.
#include <atomic>
#include <cstdint>
#include <mutex>
#include <vector>

#include "neuropipe/pipeline/stats.hpp"

namespace neuropipe::pipeline::detail {

// p in [0,1]; 0 for an empty sample.
double percentile(std::vector<float> samples, double p);

class NodeMetrics {
 public:
  void record_call(double call_ms, double wait_ms, size_t frames);
  void count_error() { ++errors_; }
  void count_skipped() { ++skipped_; }
  uint64_t errors() const { return errors_.load(); }
  NodeStats snapshot(const std::string& name, bool disabled) const;

 private:
  mutable std::mutex mutex_;
  std::vector<float> call_ms_;
  double wait_ms_sum_ = 0;
  uint64_t frames_ = 0;
  uint64_t max_batch_ = 0;
  std::atomic<uint64_t> errors_{0};
  std::atomic<uint64_t> skipped_{0};
};

}  // namespace neuropipe::pipeline::detail
