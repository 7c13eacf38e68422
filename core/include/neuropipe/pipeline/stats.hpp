#pragma once
// What a run reports: per node call counts, latencies, queue waits and
// errors; per source frames read, written, dropped and reconnections; for
// the pipeline frames, fps and wall time.
#include <cstdint>
#include <string>
#include <vector>

namespace neuropipe::pipeline {

struct NodeStats {
  std::string name;
  uint64_t calls = 0;   // process() / process_batch() calls
  uint64_t frames = 0;  // frames handled (> calls when batching)
  uint64_t errors = 0;
  uint64_t skipped = 0;           // frames passed on untouched (failed earlier, node disabled)
  double p50_ms = 0, p95_ms = 0;  // call latency
  double latency_sum_ms = 0;      // all calls together (with `calls`: the mean)
  double queue_wait_ms = 0;       // mean time between "inputs ready" and "call started"
  uint64_t max_batch = 0;
  bool disabled = false;
};

struct SourceStats {
  std::string name;
  bool live = false;
  int64_t frames_read = 0;
  int64_t frames_written = 0;  // reached the sinks
  int64_t frames_dropped = 0;  // live: stale frames replaced by newer ones
  int64_t frames_failed = 0;   // a node failed on them (skip_frame) or the run stopped
  int64_t reconnects = 0;
  int in_flight = 0;           // frames admitted and not yet at the sinks (queue depth)
  double latency_p50_ms = 0, latency_max_ms = 0;  // read -> written to sinks
  std::vector<std::string> problems;              // reported by the source (corrupt packets, ...)
};

enum class Outcome { completed, stopped, aborted, failed };

struct RunSummary {
  Outcome outcome = Outcome::completed;
  std::string error;  // why it failed (names the node, sink or source)
  double wall_seconds = 0;
  int64_t frames = 0;  // written to sinks, all sources
  double fps = 0;
  std::vector<SourceStats> sources;
  std::vector<NodeStats> nodes;

  // A fixed-width table for terminals.
  std::string table() const;
};

const char* to_string(Outcome outcome);

}  // namespace neuropipe::pipeline
