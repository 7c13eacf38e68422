#pragma once
// What the benchmark machine can do: its name and its fp32 FMA peak, so the
// table can say how much of the hardware each peer uses.
#include <string>

namespace neuropipe::bench {

struct CpuInfo {
  std::string model;          // e.g. "AMD EPYC (family 26, AVX-512)"
  double ghz = 0.0;           // nominal clock from /proc/cpuinfo
  int flops_per_cycle = 0;    // fp32 FLOPs per cycle per core at full FMA use
  std::string isa;            // "avx512", "avx2", "sse"
  double peak_gflops(int cores) const { return ghz * flops_per_cycle * cores; }
};

// NEUROPIPE_PEAK_FLOPS_PER_CYCLE overrides the per-core estimate.
CpuInfo detect_cpu();

}  // namespace neuropipe::bench
