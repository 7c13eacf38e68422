#pragma once
// Parity checks of the tools/export architectures (deterministic random
// weights) against PyTorch's outputs stored beside the exports; each prints
// `parity NAME max_rel_err=X`. Shared by the CI tier and the full sweep.
#include <string>

namespace neuropipe::test {

// The engine's logits for NAME.input_0.pb vs NAME.output_0.pb (1e-4 relative).
void check_classifier_export(const std::string& name);

// The classify plugin, through the model store (manifest entry `store_name`,
// export-only, found in a model cache holding the export), on the export's
// NAME.plugin_input.png: its top-5 labels are PyTorch's top-5 for that crop
// (NAME.plugin_logits.pb) in the same order, its scores the softmax (1e-4).
void check_classify_plugin_top5(const std::string& name, const std::string& store_name);

// Faster R-CNN boxes, labels and scores (tie-aware matching, see the .cpp).
void check_fasterrcnn_export(const std::string& name);

}  // namespace neuropipe::test
