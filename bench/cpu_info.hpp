#pragma once
// What the benchmark machine can do: its name and its fp32 FMA peak, so the
// table can say how much of the hardware each peer uses.
#include <string>

namespace neuropipe::bench {

struct CpuInfo {
  std::string model;                 // e.g. "AMD EPYC (family 26, avx512, peak 211 GFLOP/s per core)"
  std::string isa;                   // "avx512", "avx2", "sse"
  double peak_gflops_per_core = 0.0; // measured by the FMA probe (fma_peak.hpp), not from the nominal clock
  double peak_gflops(int cores) const { return peak_gflops_per_core * cores; }
};

// Runs the FMA probe (~0.2 s). NEUROPIPE_PEAK_GFLOPS overrides the measured
// per-core peak (e.g. to compare runs against one fixed figure).
CpuInfo detect_cpu();

}  // namespace neuropipe::bench
