#pragma once
// Reading pipeline files (YAML). Variables (`${name}`) are substituted while
// loading; values given on the command line (--input, --output, --set) win
// over the file's `variables:` section.
#include <filesystem>
#include <map>
#include <string>

#include "neuropipe/pipeline/spec.hpp"

namespace neuropipe::pipeline {

using VariableOverrides = std::map<std::string, std::string>;

// Throws neuropipe::Error "file:line:column: message" on syntax errors, wrong
// field types, unknown fields and unknown variables.
PipelineSpec load_pipeline(const std::filesystem::path& file, const VariableOverrides& overrides = {});
// The same from text (tests); `name` is used in locations.
PipelineSpec load_pipeline_text(const std::string& yaml, const std::string& name,
                                const VariableOverrides& overrides = {});

// "key=value" -> {key, value}; throws Error on a malformed entry.
std::pair<std::string, std::string> parse_assignment(const std::string& text);

}  // namespace neuropipe::pipeline
