#pragma once
// What a plugin says about itself: shown by `neuropipe plugins info`, used by
// the pipeline loader to check a graph before the first frame.
#include <string>
#include <vector>

#include "neuropipe/plugin/param_spec.hpp"

namespace neuropipe::plugin {

struct PluginDescription {
  std::string name;                 // what pipeline files write as `plugin:`
  std::string version;              // the plugin's own version, e.g. "1.0.0"
  std::string description;          // one line
  std::vector<ParamSpec> params;
  std::vector<std::string> reads;   // metadata kinds; "kind?" = optional
  std::vector<std::string> writes;  // metadata kinds, "image" when pixels change
  bool concurrent = false;          // process() may run on several threads at once
  bool ordered = false;             // keeps state across frames: one frame at a time, in order
  bool batched = false;             // overrides process_batch()
};

}  // namespace neuropipe::plugin
