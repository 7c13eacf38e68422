#pragma once
// Collects frames (from any source) for a node with process_batch: a batch
// leaves when it is full or when its oldest frame waited batch_timeout_ms.
// While frames wait here the flow graph is kept open (reserve_wait), so the
// run does not end with a partial batch stuck in the buffer.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include <oneapi/tbb/flow_graph.h>

#include "pipeline/frame_job.hpp"

namespace neuropipe::pipeline::detail {

using Batch = std::vector<JobPtr>;

class Batcher {
 public:
  Batcher(tbb::flow::graph& graph, size_t batch_size, std::chrono::milliseconds timeout, size_t concurrency,
          std::function<void(const Batch&)> run_batch);
  ~Batcher();
  void add(JobPtr job);

 private:
  void flush_on_timeout();

  tbb::flow::graph& graph_;
  const size_t batch_size_;
  const std::chrono::milliseconds timeout_;
  tbb::flow::function_node<Batch, tbb::flow::continue_msg> runner_;
  std::mutex mutex_;
  std::condition_variable changed_;
  Batch buffer_;
  std::chrono::steady_clock::time_point deadline_;
  bool stopping_ = false;
  std::thread timer_;
};

}  // namespace neuropipe::pipeline::detail
