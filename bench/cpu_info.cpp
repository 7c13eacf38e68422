#include "cpu_info.hpp"

#include <cstdlib>
#include <fstream>
#include <string>

#include "fma_peak.hpp"

namespace neuropipe::bench {

namespace {

std::string cpuinfo_field(const std::string& key) {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);)
    if (line.rfind(key, 0) == 0) {
      auto colon = line.find(':');
      return colon == std::string::npos ? "" : line.substr(colon + 2);
    }
  return "";
}

std::string widest_isa() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return "avx512";
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "avx2";
  return "sse";
}

}  // namespace

CpuInfo detect_cpu() {
  CpuInfo cpu;
  cpu.isa = widest_isa();
  const char* env = std::getenv("NEUROPIPE_PEAK_GFLOPS");
  cpu.peak_gflops_per_core = env ? std::atof(env) : measure_fma_peak_gflops();
  const std::string family = cpuinfo_field("cpu family");
  cpu.model = cpuinfo_field("model name") + " (family " + family + ", " + cpu.isa + ", fp32 peak " +
              std::to_string(static_cast<int>(cpu.peak_gflops_per_core + 0.5)) + " GFLOP/s per core " +
              (env ? "from NEUROPIPE_PEAK_GFLOPS" : "measured") + ")";
  return cpu;
}

}  // namespace neuropipe::bench
