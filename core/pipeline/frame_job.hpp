#pragma once
// One frame on its way through the graph, with the bookkeeping that lets
// nodes run as soon as all their predecessors finished on this frame.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "neuropipe/frame.hpp"

namespace neuropipe::pipeline::detail {

struct FrameJob {
  using Clock = std::chrono::steady_clock;
  FrameJob(FramePtr f, int src, int64_t sequence, Clock::time_point read, size_t num_nodes)
      : frame(std::move(f)),
        source(src),
        seq(sequence),
        read_at(read),
        pending(std::make_unique<std::atomic<int>[]>(num_nodes)),
        ready(num_nodes) {}

  FramePtr frame;
  int source;   // index of the source
  int64_t seq;  // 0,1,2... per source in admission order (sequencers use it)
  Clock::time_point read_at;
  std::unique_ptr<std::atomic<int>[]> pending;  // per node: predecessors still running on this frame
  std::vector<Clock::time_point> ready;         // per node: when its inputs were complete
  std::atomic<int> nodes_left{0};               // active nodes not yet done with this frame
  std::atomic<bool> failed{false};              // a node failed (skip_frame): later nodes and sinks skip it
};

using JobPtr = std::shared_ptr<FrameJob>;

}  // namespace neuropipe::pipeline::detail
