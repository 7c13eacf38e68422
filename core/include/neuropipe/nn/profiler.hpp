#pragma once
// Per-node and per-op wall-time profiler of the neural engine.
//
// Off by default (a run then pays one branch per node). It is switched on for
// the whole process by NEUROPIPE_PROFILE=1 (the table is then printed to
// stderr at exit), by Profiler::enable(true), or for a single call by
// RunOptions::profile. Every profiled Session::run adds the wall time of
// each kernel call to its node and op type; report() prints per-run averages
// sorted by time, so the hot ops of a model are the first lines.
#include <cstdint>
#include <string>
#include <vector>

namespace neuropipe::nn {

class Profiler {
 public:
  struct NodeTime {
    std::string model;
    std::string node;     // node name ("#index" when the file gave none)
    std::string op_type;
    double total_ms = 0.0;
    uint64_t calls = 0;
  };
  struct OpTime {
    std::string model;
    std::string op_type;
    double total_ms = 0.0;
    uint64_t calls = 0;
    int nodes = 0;
  };
  struct ModelTime {
    std::string model;
    uint64_t runs = 0;      // profiled top-level runs
    double run_ms = 0.0;    // their summed wall time, kernels and executor overhead together
    double kernel_ms = 0.0; // summed time inside kernels
  };
  struct Snapshot {
    std::vector<ModelTime> models;
    std::vector<OpTime> ops;      // sorted by total_ms, largest first
    std::vector<NodeTime> nodes;  // sorted by total_ms, largest first
  };

  // True when NEUROPIPE_PROFILE is set (not "0") or enable(true) was called.
  static bool enabled();
  static void enable(bool on);
  static void reset();
  static Snapshot snapshot();
  // A text table: per model, time per run by op type and the `top_nodes` slowest nodes.
  static std::string report(size_t top_nodes = 15);
};

}  // namespace neuropipe::nn
