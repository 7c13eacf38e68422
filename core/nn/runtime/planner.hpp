#pragma once
// Turns an optimised Graph into an executable one: builds every node's kernel
// (weights pre-packed by the factory, attribute errors raised now, not
// mid-run) and computes liveness (which values die after which node) for the
// arena. Subgraphs are planned recursively.
#include <string>

#include "nn/graph.hpp"

namespace neuropipe::nn {

// Kernel for one node, or UnsupportedOperator naming node, op and opset.
std::shared_ptr<const Kernel> build_kernel(const Graph& graph, const Node& node, const std::string& model_name);

void plan_graph(Graph& graph, const std::string& model_name);

}  // namespace neuropipe::nn
