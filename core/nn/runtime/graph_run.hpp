#pragma once
// One execution of a planned Graph: holds the value table of this call,
// runs the nodes in order, takes output buffers from the Session's arena and
// returns them after each value's last reader. Subgraphs (If branches) run
// as nested GraphRuns that read enclosing values by name.
#include <vector>

#include "nn/graph.hpp"
#include "nn/runtime/arena.hpp"

namespace neuropipe::nn {

struct RunLimits {
  int max_threads = 1;
  uint64_t max_tensor_bytes = 4ull << 30;  // a kernel asking for more is a model error, not an OOM
  std::string model_name;
  bool profile = false;  // time every node into nn::Profiler
};

class GraphRun {
 public:
  // `arena` may be null: every buffer then comes from the heap (constant folding at load).
  GraphRun(const Graph& graph, Arena* arena, const GraphRun* outer, const RunLimits& limits);
  GraphRun(const GraphRun&) = delete;
  GraphRun& operator=(const GraphRun&) = delete;
  ~GraphRun();

  void set_input(int value, Tensor t);
  void run();
  // Output i of the graph as an owned tensor (copied out of the arena if needed).
  Tensor output(size_t i) const;

  // Runs one node (used by constant folding); returns its outputs.
  std::vector<Tensor> run_single(const Node& node);

 private:
  friend class NodeContext;
  const Tensor* lookup(int value) const;
  const Tensor* lookup_by_name(const std::string& name) const;
  void run_node(size_t index);
  void release_dead_after(size_t index);
  void run_profiled();
  void release(int value);

  const Graph& graph_;
  Arena* arena_;
  const GraphRun* outer_;
  const RunLimits& limits_;
  std::vector<Tensor> values_;
  std::vector<int> block_of_;
};

}  // namespace neuropipe::nn
