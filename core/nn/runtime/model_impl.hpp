#pragma once
// What a loaded Model holds: the planned, frozen graph and its public I/O.
#include <memory>
#include <string>

#include "neuropipe/nn/model.hpp"
#include "nn/graph.hpp"

namespace neuropipe::nn {

class ModelImpl {
 public:
  std::string name;
  LoadOptions options;
  std::shared_ptr<const Graph> graph;
  std::vector<TensorInfo> inputs;
  std::vector<TensorInfo> outputs;
  int opset = 0;
};

}  // namespace neuropipe::nn
