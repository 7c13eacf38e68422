#include "fma_peak.hpp"

#include <time.h>

#include <algorithm>

namespace neuropipe::bench {

namespace {

double thread_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

using Burst = double (*)(long);

Burst widest_burst() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return fma_burst_avx512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return fma_burst_avx2;
  return fma_burst_scalar;
}

}  // namespace

double fma_burst_scalar(long iterations) {
  constexpr int kChains = 8;
  float acc[kChains];
  for (int c = 0; c < kChains; ++c) acc[c] = 0.001f * static_cast<float>(c);
  for (long i = 0; i < iterations; ++i)
    for (int c = 0; c < kChains; ++c) acc[c] = acc[c] * 0.999999f + 1e-7f;
  float sum = 0.0f;
  for (float v : acc) sum += v;
  volatile float sink = sum;
  (void)sink;
  return static_cast<double>(iterations) * kChains * 2;
}

double measure_fma_peak_gflops() {
  const Burst burst = widest_burst();
  burst(1 << 20);  // let the core reach its boost clock before timing
  double best = 0.0;
  for (int round = 0; round < 7; ++round) {
    const double t0 = thread_seconds();
    const double flops = burst(4 << 20);
    const double seconds = thread_seconds() - t0;
    if (seconds > 0.0) best = std::max(best, flops / seconds / 1e9);
  }
  return best;
}

}  // namespace neuropipe::bench
