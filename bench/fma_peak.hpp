#pragma once
// The core's real fp32 FMA peak, measured rather than computed from the
// nominal clock: /proc/cpuinfo reports the base frequency, while cores boost
// well above it, so nominal-clock peaks overstate every peer's fraction.
// The probe runs independent FMA chains from registers only (no memory
// traffic), timed by the thread's own CPU clock so other load on a shared
// machine does not count, and keeps the best of several bursts.

namespace neuropipe::bench {

// fp32 GFLOP/s of one core running the widest FMA this CPU supports
// (AVX-512, else AVX2+FMA, else scalar mul+add).
double measure_fma_peak_gflops();

// One burst per ISA: `iterations` rounds of the ISA's independent FMA chains.
// Returns the FLOPs done (each FMA lane counts 2). Kept separate so tests can
// check the counts against the instruction widths.
double fma_burst_avx512(long iterations);
double fma_burst_avx2(long iterations);
double fma_burst_scalar(long iterations);

}  // namespace neuropipe::bench
