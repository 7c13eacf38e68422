#pragma once
// Checking a pipeline before its first frame. Every problem is reported at
// once, each as "file:line:column: message" followed by a hint, so a user
// fixes the file in one pass.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "neuropipe/error.hpp"
#include "neuropipe/pipeline/catalog.hpp"
#include "neuropipe/pipeline/graph.hpp"
#include "neuropipe/pipeline/spec.hpp"

namespace neuropipe::pipeline {

struct Problem {
  Location where;
  std::string message;
  std::string hint;  // may be empty
  std::string str() const;
};

// Thrown by validate(): what() lists every problem, one per line.
class ValidationError : public Error {
 public:
  explicit ValidationError(std::vector<Problem> problems);
  const std::vector<Problem>& problems() const { return problems_; }

 private:
  std::vector<Problem> problems_;
};

struct ValidatedPipeline {
  PipelineSpec spec;
  PipelineGraph graph;
  std::vector<plugin::PluginInfo> plugins;  // per node
  std::vector<nlohmann::json> params;       // per node, defaults filled in
};

// Checks plugins, parameters, dependencies, cycles, metadata reads/writes,
// conflicting image writers, sink settings and local source files.
ValidatedPipeline validate(PipelineSpec spec, const NodeCatalog& catalog);

// Names in `candidates` close to `name` (edit distance), best first.
std::vector<std::string> close_names(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace neuropipe::pipeline
