#pragma once
// Running a validated pipeline on a oneTBB flow graph inside the neural
// engine's task arena (so kernels and the scheduler share the same workers).
//
//   reader thread per source -> admission gate (max_in_flight; offline waits,
//   live keeps only the newest frame) -> nodes (fan-out, joins, concurrency
//   from the plugin flags, batches across streams) -> per-source sequencer
//   (restores order) -> sinks
//
// Everything that can fail before the first frame (opening sources, sinks,
// creating nodes) fails in the constructor with the pipeline file location.
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "neuropipe/media/sink.hpp"
#include "neuropipe/media/source.hpp"
#include "neuropipe/pipeline/catalog.hpp"
#include "neuropipe/pipeline/node_set.hpp"
#include "neuropipe/pipeline/stats.hpp"
#include "neuropipe/pipeline/validation.hpp"

namespace neuropipe::pipeline {

// How sources and sinks are opened; tests replace these with in-memory ones.
struct MediaFactory {
  std::function<std::unique_ptr<media::Source>(const media::SourceSpec&)> open_source = media::open_source;
  std::function<std::unique_ptr<media::Sink>(const media::SinkSpec&, const media::SourceInfo&)> open_sink =
      media::open_sink;
};

struct RunOptions {
  std::optional<ClockMode> clock;    // overrides every source's clock (--mode)
  std::optional<int> max_in_flight;  // overrides settings.max_in_flight
  std::filesystem::path trace_file;  // Chrome/Perfetto trace JSON; empty = none
  NodeSet* shared_nodes = nullptr;   // node instances to borrow (batch); must outlive the run
  MediaFactory media;
};

struct Progress {
  struct Source {
    std::string name;
    bool live = false;
    int64_t done = 0;    // frames through the pipeline (written, failed or dropped)
    int64_t total = -1;  // -1 when unknown (streams)
    int64_t dropped = 0;
    int64_t reconnects = 0;
  };
  double elapsed_seconds = 0;
  std::vector<Source> sources;
};

class Runner {
 public:
  Runner(ValidatedPipeline pipeline, const NodeCatalog& catalog, RunOptions options = {});
  ~Runner();
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  // Runs to the end of every source (or until stopped); closes the sinks on
  // success and aborts them (removing partial files) on failure or abort().
  RunSummary run();

  // Thread-safe, callable from a signal-watching thread: stop reading,
  // finish the frames in flight, close the sinks properly.
  void request_stop();
  // Stop at once and remove partial outputs.
  void abort();

  Progress progress() const;
  // Thread-safe, while run() runs: the counters so far (outcome "completed"
  // until it ends; no source problem lists). What --metrics serves.
  RunSummary live_summary() const;
  const std::vector<media::SourceInfo>& source_infos() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace neuropipe::pipeline
