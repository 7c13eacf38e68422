#pragma once
// Running the export recipe of an `offline: export` model: a Python script in
// tools/export builds the real architecture, loads the upstream weights and
// writes the ONNX. Every recipe the store runs takes the same arguments:
//   PYTHON RECIPES_DIR/<export_recipe>.py --model NAME --weights FILE --onnx OUT
// (NAME: the manifest entry, for recipes that build several architectures).
#include <filesystem>

#include "neuropipe/models/store.hpp"

namespace neuropipe::models {

// The recipe script, checked before any weights are downloaded: Error naming
// the model when there is no recipes folder, no such script or no Python.
std::filesystem::path check_export_recipe(const StoreConfig& config, const ModelEntry& entry);

// Runs the recipe to write `onnx_out`. Error naming the model and the reason:
// no recipes folder or script, no Python, a missing Python module (torch,
// torchvision, onnx: with the Debian packages to install), or the recipe's
// exit status and last output lines. The recipe's output is kept in
// `onnx_out` + ".log" only while it runs.
void run_export_recipe(const StoreConfig& config, const ModelEntry& entry, const std::filesystem::path& weights,
                       const std::filesystem::path& onnx_out);

}  // namespace neuropipe::models
