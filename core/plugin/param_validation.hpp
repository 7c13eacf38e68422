#pragma once
// Checks a node's parameters against its plugin's ParamSpecs before the
// plugin sees them, so a plugin can trust every value it gets.
#include <string>

#include <nlohmann/json.hpp>

#include "neuropipe/plugin/host.hpp"

namespace neuropipe::plugin {

// Returns the parameters with defaults filled in, or throws an Error
// "node 'N' (plugin P): parameter 'x' ..." naming what is wrong.
nlohmann::json validate_params(const PluginInfo& plugin, const std::string& node_name, const nlohmann::json& params);

}  // namespace neuropipe::plugin
