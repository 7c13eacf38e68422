#pragma once
// The pipeline as a graph: which node waits for which, which sources feed
// which nodes and sinks. Built from a validated PipelineSpec; the runtime
// schedules from it and `neuropipe graph` prints it.
#include <string>
#include <vector>

#include "neuropipe/pipeline/spec.hpp"

namespace neuropipe::pipeline {

struct GraphNode {
  std::string name;
  std::string plugin;
  std::vector<int> node_preds;    // indices of nodes it waits for
  std::vector<int> source_preds;  // sources named in `after` (or all, for a node with no `after`)
  std::vector<int> succs;         // nodes that wait for it
  std::vector<bool> active;       // per source: does this node see that source's frames?
};

struct GraphSink {
  std::string name;
  std::string kind;
  std::vector<int> node_preds;
  std::vector<bool> active;  // per source
};

class PipelineGraph {
 public:
  // Names must already be valid (see validate()); throws Error naming the
  // nodes of a cycle.
  static PipelineGraph build(const PipelineSpec& spec);

  const std::vector<std::string>& sources() const { return sources_; }
  const std::vector<GraphNode>& nodes() const { return nodes_; }
  const std::vector<GraphSink>& sinks() const { return sinks_; }
  const std::vector<int>& topological_order() const { return order_; }
  int node_index(const std::string& name) const;    // -1 when absent
  int source_index(const std::string& name) const;  // -1 when absent
  // True when `ancestor` must finish before `node` starts (directly or not).
  bool precedes(int ancestor, int node) const;

  std::string to_text() const;
  std::string to_dot() const;

 private:
  std::vector<std::string> sources_;
  std::vector<GraphNode> nodes_;
  std::vector<GraphSink> sinks_;
  std::vector<int> order_;
  std::vector<std::vector<bool>> reach_;  // reach_[a][b]: a precedes b
};

}  // namespace neuropipe::pipeline
