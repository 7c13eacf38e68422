#include "nn/runtime/engine.hpp"

#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "neuropipe/nn/model.hpp"

namespace neuropipe::nn {

namespace {

int default_threads() {
  if (const char* env = std::getenv("NEUROPIPE_THREADS")) {
    int n = std::atoi(env);
    if (n > 0) return n;
  }
  return std::max(1u, std::thread::hardware_concurrency());
}

struct EngineState {
  std::mutex mutex;
  int threads = default_threads();
  std::unique_ptr<tbb::task_arena> main;
  std::map<int, std::unique_ptr<tbb::task_arena>> limited;
};

EngineState& state() {
  static EngineState s;
  return s;
}

}  // namespace

tbb::task_arena& engine_arena(int max_threads) {
  EngineState& s = state();
  std::lock_guard lock(s.mutex);
  if (!s.main) {
    s.main = std::make_unique<tbb::task_arena>(s.threads);
    s.main->initialize();
  }
  if (max_threads <= 0 || max_threads >= s.threads) return *s.main;
  auto& arena = s.limited[max_threads];
  if (!arena) {
    arena = std::make_unique<tbb::task_arena>(max_threads);
    arena->initialize();
  }
  return *arena;
}

int Engine::max_threads() {
  std::lock_guard lock(state().mutex);
  return state().threads;
}

void Engine::set_max_threads(int n) {
  EngineState& s = state();
  std::lock_guard lock(s.mutex);
  if (s.main) return;  // the arena exists already: its size is fixed for the process
  s.threads = n > 0 ? n : default_threads();
}

void Engine::execute_impl(void (*fn)(void*), void* ctx) {
  engine_arena().execute([&] { fn(ctx); });
}

}  // namespace neuropipe::nn
