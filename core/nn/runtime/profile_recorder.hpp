#pragma once
// The executor's side of nn::Profiler: GraphRun measures each node of a
// profiled run and hands the times over once per run (one lock per run, not
// per node).
#include <string>
#include <vector>

#include "nn/graph.hpp"

namespace neuropipe::nn {

// `node_ms[i]` is the kernel time of graph.nodes[i] in this run; `run_ms` the
// whole run (top level only: nested subgraph runs pass top_level = false).
void record_profile(const std::string& model, const Graph& graph, const std::vector<double>& node_ms,
                    double run_ms, bool top_level);

}  // namespace neuropipe::nn
