#pragma once
// The public face of the neural engine.
//
//   auto model = nn::Model::load("squeezenet.onnx");      // immutable, share it
//   nn::Session session(*model);                           // one per thread/call site
//   auto out = session.run({{"data_0", input}});           // named tensors in and out
//
// A Model is immutable after load and safe to run from many threads at once;
// a Session holds the per-call buffers (a planned arena) and is used by one
// thread at a time. All kernels run inside the engine's one oneTBB arena.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "neuropipe/nn/errors.hpp"
#include "neuropipe/nn/tensor.hpp"

namespace neuropipe::nn {

struct TensorInfo {
  std::string name;
  DType dtype = DType::f32;
  Shape shape;                     // -1 for symbolic dimensions
  std::vector<std::string> dim_names;  // symbolic names ("" when fixed)
};

struct LoadOptions {
  // Largest tensor the loader accepts (guards against allocation bombs in
  // corrupt or hostile files).
  uint64_t max_tensor_bytes = 4ull << 30;
  bool optimize = true;            // run fusion/layout passes
};

struct RunOptions {
  int max_threads = 0;             // 0 = all threads of the engine arena
  bool profile = false;            // time this run's nodes into nn::Profiler (neuropipe/nn/profiler.hpp)
};

struct RunStats {
  uint64_t arena_peak_bytes = 0;   // peak of the planned intermediate buffers
  uint64_t intermediate_bytes = 0; // every intermediate buffer requested, summed (no reuse)
  double milliseconds = 0.0;
};

class ModelImpl;

class Model {
 public:
  static std::shared_ptr<const Model> load(const std::filesystem::path& file, const LoadOptions& = {});
  static std::shared_ptr<const Model> load_from_memory(std::span<const uint8_t> bytes,
                                                       const std::string& name = "<memory>",
                                                       const LoadOptions& = {});
  ~Model();

  const std::string& name() const;
  const std::vector<TensorInfo>& inputs() const;
  const std::vector<TensorInfo>& outputs() const;
  int opset() const;
  size_t node_count() const;     // after optimisation passes
  const ModelImpl& impl() const { return *impl_; }

  explicit Model(std::unique_ptr<ModelImpl> impl);

 private:
  std::unique_ptr<ModelImpl> impl_;
};

using NamedTensors = std::map<std::string, Tensor>;

class SessionImpl;

class Session {
 public:
  explicit Session(std::shared_ptr<const Model> model);
  ~Session();
  Session(Session&&) noexcept;
  Session& operator=(Session&&) noexcept;

  // Inputs by name; fp16 inputs accept f32 tensors (converted at the boundary)
  // and vice versa. Returns every graph output (owned tensors).
  NamedTensors run(const NamedTensors& inputs, const RunOptions& = {});
  // Only the named outputs.
  NamedTensors run(const NamedTensors& inputs, const std::vector<std::string>& output_names,
                   const RunOptions& = {});
  const RunStats& last_stats() const;
  const Model& model() const;

 private:
  std::unique_ptr<SessionImpl> impl_;
};

// The process-wide engine: one oneTBB arena shared by kernels and the
// pipeline scheduler. Threads default to the hardware concurrency or
// NEUROPIPE_THREADS.
class Engine {
 public:
  static int max_threads();
  static void set_max_threads(int n);   // before first use
  // Runs f inside the engine arena (the pipeline scheduler uses this so its
  // flow graph and the kernels share the same workers).
  template <class F> static void execute(F&& f);
 private:
  static void execute_impl(void (*fn)(void*), void* ctx);
};

template <class F>
void Engine::execute(F&& f) {
  execute_impl([](void* c) { (*static_cast<std::remove_reference_t<F>*>(c))(); }, &f);
}

}  // namespace neuropipe::nn
