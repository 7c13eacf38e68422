#pragma once
// Node instances made once and lent to several runs of the same pipeline, so
// `neuropipe batch` loads each model once for a whole folder instead of once
// per item. A run borrows the instance of a node only when the node still has
// the same plugin and parameters (variables such as ${input} may change them
// per item); otherwise the run makes its own. Runs borrowing from one set
// must not overlap: the instances carry no state shared between runs, but
// non-concurrent plugins are serialised per instance, not per set.
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "neuropipe/pipeline/catalog.hpp"
#include "neuropipe/pipeline/validation.hpp"

namespace neuropipe::pipeline {

class NodeSet {
 public:
  // Creates every node; throws Error located at the node's line, like Runner.
  NodeSet(const ValidatedPipeline& pipeline, const NodeCatalog& catalog);

  // The instance made for node `name` with `plugin` and `params`, else null.
  plugin::NodeInstance* find(const std::string& name, const std::string& plugin,
                             const nlohmann::json& params) const;
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::string name, plugin;
    nlohmann::json params;
    std::unique_ptr<plugin::NodeInstance> instance;
  };
  std::vector<Entry> entries_;
};

// catalog.create() for node `n`, errors located at its line and naming it.
std::unique_ptr<plugin::NodeInstance> create_node(const ValidatedPipeline& pipeline, size_t n,
                                                  const NodeCatalog& catalog);

}  // namespace neuropipe::pipeline
