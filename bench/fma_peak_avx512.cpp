// AVX-512 FMA burst: 12 independent zmm accumulator chains hide the 4-cycle
// FMA latency on both FMA pipes.
#include <immintrin.h>

#include "fma_peak.hpp"

namespace neuropipe::bench {

double fma_burst_avx512(long iterations) {
  constexpr int kChains = 12;
  __m512 acc[kChains];
  for (int c = 0; c < kChains; ++c) acc[c] = _mm512_set1_ps(0.001f * static_cast<float>(c));
  const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
  for (long i = 0; i < iterations; ++i)
    for (int c = 0; c < kChains; ++c) acc[c] = _mm512_fmadd_ps(acc[c], a, b);
  // Sum and publish so the compiler cannot drop the chains (a store, not
  // _mm512_reduce_add_ps, which trips GCC 12's -Wuninitialized).
  __m512 sum = acc[0];
  for (int c = 1; c < kChains; ++c) sum = _mm512_add_ps(sum, acc[c]);
  alignas(64) float lanes[16];
  _mm512_store_ps(lanes, sum);
  volatile float sink = lanes[0];
  (void)sink;
  return static_cast<double>(iterations) * kChains * 16 * 2;
}

}  // namespace neuropipe::bench
