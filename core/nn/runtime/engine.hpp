#pragma once
// The process-wide oneTBB arena behind Engine. RunOptions::max_threads below
// the engine's size runs in a smaller arena of that size (created once per
// size): TBB has no per-call concurrency cap inside one arena.
#include <oneapi/tbb/task_arena.h>

namespace neuropipe::nn {

tbb::task_arena& engine_arena(int max_threads = 0);

}  // namespace neuropipe::nn
