#pragma once
// Running the export recipe of an `offline: export` model: a Python script in
// tools/export builds the real architecture, loads the upstream weights and
// writes the ONNX. Every recipe the store runs takes the same arguments:
//   PYTHON RECIPES_DIR/<export_recipe>.py --model NAME [export_args...]
//          --<arg> FILE ... --onnx OUT [--output KEY=OUT ...]
// (NAME: the manifest entry, for recipes that build several architectures;
// one `--<arg> FILE` per upstream file, `--weights FILE` for an entry with one
// `upstream_url`; one `--output KEY=OUT` per `export_outputs` key.)
// Upstream zips are opened by tools/export/zip_member.py, with the same Python.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "neuropipe/models/store.hpp"

namespace neuropipe::models {

// One file handed to a recipe as `--<arg> path`; `origin` says where it came
// from in error messages ("encoder-5-3000.pkl from upstream/pretrained_model.zip").
struct RecipeInput {
  std::string arg;
  std::filesystem::path path;
  std::string origin;
};

// The recipe script, checked before any weights are downloaded: Error naming
// the model when there is no recipes folder, no such script (or zip helper,
// when a member is needed) or no Python.
std::filesystem::path check_export_recipe(const StoreConfig& config, const ModelEntry& entry);

// Copies `member` of the zip archive `zip` (or the one member whose file name
// is `member`) to `out`. Error naming the model, the archive, where it came
// from and the member: not a zip (truncated, an HTML page), no such member,
// a damaged member.
void extract_zip_member(const StoreConfig& config, const ModelEntry& entry, const std::filesystem::path& zip,
                        const std::string& zip_origin, const std::string& member, const std::filesystem::path& out);

// Runs the recipe to write `onnx_out` and each `outputs` file (KEY, path).
// Error naming the model and the reason: no recipes folder or script, no
// Python, a missing Python module (torch, torchvision, onnx: with the Debian
// packages to install), or the recipe's exit status, its inputs and last
// output lines. The recipe's output is kept in `onnx_out` + ".log" only while
// it runs.
void run_export_recipe(const StoreConfig& config, const ModelEntry& entry, const std::vector<RecipeInput>& inputs,
                       const std::filesystem::path& onnx_out,
                       const std::vector<std::pair<std::string, std::filesystem::path>>& outputs);

}  // namespace neuropipe::models
