#include "cpu_info.hpp"

#include <cstdlib>
#include <fstream>
#include <string>

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
}  // namespace

CpuInfo detect_cpu() {
  CpuInfo cpu;
  cpu.model = cpuinfo_field("model name");
  const std::string vendor = cpuinfo_field("vendor_id");
  const int family = std::atoi(cpuinfo_field("cpu family").c_str());
  cpu.ghz = std::atof(cpuinfo_field("cpu MHz").c_str()) / 1000.0;
  __builtin_cpu_init();
  // Two FMA pipes per core on every x86 core we target; their width is what
  // differs. AMD Zen 4 (family 25) splits 512-bit FMAs into two 256-bit
  // halves; Zen 5 (family 26) and Intel server cores run them full width.
  if (__builtin_cpu_supports("avx512f")) {
    cpu.isa = "avx512";
    cpu.flops_per_cycle = (vendor == "AuthenticAMD" && family < 26) ? 32 : 64;
  } else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
    cpu.isa = "avx2";
    cpu.flops_per_cycle = 32;
  } else {
    cpu.isa = "sse";
    cpu.flops_per_cycle = 8;
  }
  if (const char* env = std::getenv("NEUROPIPE_PEAK_FLOPS_PER_CYCLE")) cpu.flops_per_cycle = std::atoi(env);
  cpu.model += " (family " + std::to_string(family) + ", " + cpu.isa + ", " + std::to_string(cpu.ghz).substr(0, 4) +
               " GHz)";
  return cpu;
}

}  // namespace neuropipe::bench
