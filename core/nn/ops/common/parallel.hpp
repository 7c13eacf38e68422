#pragma once
// Splitting a flat index range over the engine's TBB workers. Kernels run
// inside the engine's task_arena, so plain tbb::parallel_for uses its threads.
// Small ranges run inline: a task costs about a microsecond, so splitting
// fewer than ~`grain` elements only adds overhead.
#include <cstdint>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace neuropipe::nn::ops {

// Elements per task for cheap (add, compare, copy) and costly (exp, erf, pow) loops.
inline constexpr int64_t kCheapGrain = 32768;
inline constexpr int64_t kCostlyGrain = 4096;

// Calls body(begin, end) over [0, n) in chunks of at least `grain`.
template <class Body>
void parallel_chunks(int64_t n, int64_t grain, Body&& body) {
  if (n <= 0) return;
  if (n <= grain) {
    body(int64_t{0}, n);
    return;
  }
  tbb::parallel_for(tbb::blocked_range<int64_t>(0, n, grain),
                    [&](const tbb::blocked_range<int64_t>& r) { body(r.begin(), r.end()); });
}

// Grain for `n` independent work items each costing about `item_cost` elementary operations.
inline int64_t grain_for_cost(int64_t item_cost, int64_t grain = kCheapGrain) {
  return item_cost >= grain ? 1 : grain / (item_cost < 1 ? 1 : item_cost);
}

}  // namespace neuropipe::nn::ops
