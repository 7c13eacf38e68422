#pragma once
// `neuropipe bench`: runs every (model, peer, threads) combination in its own
// worker process, then prints a side-by-side table with ratios and writes the
// JSON the issue tracker and docs/PERFORMANCE.md rely on.
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "measure.hpp"
#include "model_flops.hpp"

namespace neuropipe::bench {

struct BenchCase {
  std::string model;     // display name (manifest name or file stem)
  std::string path;      // resolved .onnx path
  ShapeOverrides shapes;
};

struct SuiteOptions {
  std::vector<std::string> peers = {"neuropipe", "onnxruntime", "opencv"};
  std::vector<int> threads = {1, 2};
  int batch = 1;
  int streams = 1;
  double min_seconds = 2.0;
  bool profile = false;     // NeuroPipe peer: per-op profile of extra runs after the timed ones
  std::string worker_exe;   // the neuropipe binary (re-executed as `bench --worker`)
};

// Turns a manifest name, an export name or a path into a .onnx path; throws
// naming what was tried.
using ModelResolver = std::function<std::string(const std::string&)>;

// The benchmark set of the engine-speed issue.
std::vector<BenchCase> standard_cases(const ModelResolver& resolve, std::vector<std::string>& missing);

// Runs the cases; returns {"cpu": ..., "results": [...]} and prints the table.
nlohmann::json run_suite(const std::vector<BenchCase>& cases, const SuiteOptions& options);

// Adds conv_gflops / conv_peak_fraction to a profiled NeuroPipe result: the
// Conv FLOPs of one run over the time the profiler saw in Conv nodes.
void add_conv_efficiency(nlohmann::json& result, const FlopCount& flops, int batch, double peak_gflops);

// The worker side: parses `--worker` arguments, prints one JSON line.
int run_worker(const std::vector<std::string>& args);

}  // namespace neuropipe::bench
