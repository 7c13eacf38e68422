#pragma once
// One benchmark measurement (one model x peer x threads x batch x streams),
// run inside a worker process so peak RSS belongs to that peer alone.
#include <string>

#include <nlohmann/json.hpp>

#include "model_inputs.hpp"

namespace neuropipe::bench {

struct MeasureSpec {
  std::string model_path;
  std::string peer = "neuropipe";
  int threads = 1;
  int batch = 1;
  int streams = 1;
  ShapeOverrides shapes;
  double min_seconds = 2.0;   // measure at least this long ...
  int min_iterations = 10;    // ... and at least this many runs per stream
  bool profile = false;       // NeuroPipe only: then profile further runs (not the timed ones)
};

// Loads, warms up, then times runs until both minimums are met. Returns
// {"median_ms","p90_ms","throughput_fps","load_ms","iterations"}, with one
// stream also "median_cpu_ms" (process CPU time per run), "peak_rss_mb" (this
// process's VmHWM, so measure in a fresh worker process), plus "profile" and
// "profile_text" when profiling NeuroPipe; or {"error": "..."} when the peer
// cannot run the model.
nlohmann::json measure(const MeasureSpec& spec);

}  // namespace neuropipe::bench
