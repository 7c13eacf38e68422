#include "neuropipe/pipeline/node_set.hpp"

namespace neuropipe::pipeline {

std::unique_ptr<plugin::NodeInstance> create_node(const ValidatedPipeline& pipeline, size_t n,
                                                  const NodeCatalog& catalog) {
  const auto& decl = pipeline.spec.nodes[n];
  try {
    return catalog.create(decl.plugin, decl.name, pipeline.params[n]);
  } catch (const std::exception& e) {
    // Plugin errors already name their node; others get the name added.
    const std::string message = e.what();
    const bool named = message.find("'" + decl.name + "'") != std::string::npos;
    throw Error(decl.where.str() + ": " + (named ? message : "node '" + decl.name + "': " + message));
  }
}

NodeSet::NodeSet(const ValidatedPipeline& pipeline, const NodeCatalog& catalog) {
  for (size_t n = 0; n < pipeline.spec.nodes.size(); ++n) {
    const auto& decl = pipeline.spec.nodes[n];
    entries_.push_back({decl.name, decl.plugin, pipeline.params[n], create_node(pipeline, n, catalog)});
  }
}

plugin::NodeInstance* NodeSet::find(const std::string& name, const std::string& plugin,
                                    const nlohmann::json& params) const {
  for (const auto& entry : entries_)
    if (entry.name == name) return entry.plugin == plugin && entry.params == params ? entry.instance.get() : nullptr;
  return nullptr;
}

}  // namespace neuropipe::pipeline
