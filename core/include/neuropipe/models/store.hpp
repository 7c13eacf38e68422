#pragma once
// The model store: which models exist (assets/models.yaml), how their inputs
// are prepared and their outputs decoded, and where their bytes come from.
//
//   ModelStore store = ModelStore::from_environment();
//   std::filesystem::path onnx = store.fetch("squeezenet1.0-fp32");   // verified local file
//   const ModelEntry& m = store.info("squeezenet1.0-fp32");            // input spec, outputs, ...
//   std::vector<std::string> names = store.labels("squeezenet1.0-fp32");
//
// fetch() looks in the cache, then the mirror folder, then downloads the
// entry's url; every file is sha256-verified before it is returned, and a
// file only appears in the cache (by rename) once it is complete and verified.
// Export-only entries (`offline: export`) have no ONNX to download: fetch()
// gets their upstream downloads the same way (cache, mirror, upstream URL;
// sha256-verified when the manifest knows it), takes named members out of
// zip archives, and runs the entry's export recipe
// (tools/export/<export_recipe>.py) to write the ONNX (and any further
// `export_outputs`) into the cache.
#include <array>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace neuropipe::models {

enum class Layout { NCHW, NHWC };
enum class ColorOrder { RGB, BGR, GRAY };
enum class DType { F32, F16 };

// How a plugin turns 8-bit pixels into the model's input tensor:
//   value[c] = (pixel[c] * scale - mean[c]) / std[c]
// with channels in `color` order, resized to width x height (unless the
// model takes any size, `dynamic_size`, in which case width/height are the
// preferred size).
struct InputSpec {
  std::string tensor;
  Layout layout = Layout::NCHW;
  int width = 0;
  int height = 0;
  int channels = 3;
  ColorOrder color = ColorOrder::RGB;
  float scale = 1.0f;
  std::array<float, 3> mean{0.0f, 0.0f, 0.0f};
  std::array<float, 3> std{1.0f, 1.0f, 1.0f};
  DType dtype = DType::F32;
  bool dynamic_size = false;
};

// One graph output and how to read it, e.g. "softmax", "logits",
// "ultraface_boxes", "yunet", "ssd_boxes", "centernet", "deeplab_logits",
// "person_prob", "image_bgr_0_255", "image_tanh", "embedding".
struct OutputSpec {
  std::string name;
  std::string decoding;
};

// One download an export recipe starts from. A model may need several (the
// Show and Tell weights and its vocabulary are two zips); the recipe gets each
// as `--<arg> PATH`.
struct UpstreamFile {
  std::string arg;     // the recipe's option for this file, e.g. "weights", "vocab-pkl"
  std::string url;     // public URL of the download
  std::string sha256;  // sha256 of the downloaded bytes; "" when the publisher gives none
  std::string member;  // a file inside the downloaded zip archive; "" = the download itself
};

struct ModelEntry {
  std::string name;    // store name, e.g. "yunet-n-320"
  std::string task;    // classify, detect, face_detect, face_embed, segment, style, translate, labels, ...
  std::string file;    // relative path inside the cache and the mirror, e.g. "face/yunet-n-320.onnx"
  std::string sha256;  // lower-case hex of exactly these bytes (empty only for offline entries)
  std::string url;     // HTTPS URL of exactly these bytes, pinned to a commit; empty if none exists
  std::string upstream_url;  // public URL of the original weights when ours are converted/exported from them
  std::string upstream_sha256;  // sha256 of the upstream_url bytes when known (checked before exporting)
  std::string source;        // human-readable provenance (repo @ commit : path, npm package, conversion)
  std::string license;
  std::string description;
  std::string offline;        // "" normally; "export": real weights only via tools/export/<export_recipe>
  std::string export_recipe;  // tools/export recipe name for offline == "export"
  std::optional<InputSpec> input;  // absent for label files
  std::vector<OutputSpec> outputs;
  std::string labels;  // a store entry name (e.g. "imagenet_labels") or a path under assets/
  nlohmann::json extra = nlohmann::json::object();  // task-specific settings (anchors, thresholds, ...)
  int line = 0;                                     // line of the entry in the manifest, for error messages
  // Export-only entries (appended last: the fields above keep their offsets
  // for plugins built against an older header):
  std::vector<UpstreamFile> upstream;       // upstream_url as {weights, upstream_url}, or the `upstream` list
  std::vector<std::string> export_args;     // further recipe arguments, e.g. ["--encoder", "resnet152"]
  std::vector<std::string> export_outputs;  // keys of `extra` naming more files the recipe writes

  bool export_only() const { return offline == "export"; }
};

// assets/models.yaml, parsed and checked. Every error names the file, the
// line and the field at fault.
class Manifest {
 public:
  static Manifest load(const std::filesystem::path& yaml_file);
  // `origin` names the text in error messages (usually the file path).
  static Manifest parse(const std::string& yaml_text, const std::string& origin);

  const std::vector<ModelEntry>& entries() const { return entries_; }
  const ModelEntry* find(const std::string& name) const;
  // The entry, or an Error naming the unknown model and the manifest.
  const ModelEntry& at(const std::string& name) const;
  const std::string& origin() const { return origin_; }

 private:
  std::string origin_;
  std::vector<ModelEntry> entries_;
};

// Where a store looks. from_environment() fills it as documented on
// ModelStore::from_environment().
struct StoreConfig {
  std::filesystem::path manifest;    // models.yaml
  std::filesystem::path assets_dir;  // folder holding models.yaml, labels/, palettes/
  std::filesystem::path cache_dir;
  std::optional<std::filesystem::path> mirror_dir;
  // Export recipes (tools/export/*.py) and the Python that runs them, for
  // `offline: export` entries. Empty recipes_dir: exports are unavailable.
  std::filesystem::path recipes_dir;
  std::filesystem::path python = "/usr/bin/python3.11";

  static StoreConfig from_environment();
};

struct VerifyResult {
  // exported: an export-only model whose ONNX an export recipe wrote into the cache.
  enum class Status { ok, missing, mismatch, export_only, exported };
  Status status = Status::missing;
  std::filesystem::path path;  // the file checked (cache first, else mirror), empty when missing
  std::string actual_sha256;   // for ok and mismatch
};

const char* to_string(VerifyResult::Status s);

// Thread-safe: fetches of the same model are serialised; different
// processes sharing a cache are safe because files appear only by rename.
class ModelStore {
 public:
  explicit ModelStore(StoreConfig config);

  // Manifest: $NEUROPIPE_ASSETS_DIR/models.yaml, else the source tree's
  // assets/ when libneuropipe runs from a build tree, else
  // <prefix>/share/neuropipe/models.yaml beside the installed library.
  // Cache: $NEUROPIPE_CACHE_DIR, else $XDG_CACHE_HOME/neuropipe, else
  // ~/.cache/neuropipe. Mirror: $NEUROPIPE_MODEL_MIRROR, else ../shared/models
  // beside the checkout when that folder exists. Export recipes:
  // $NEUROPIPE_EXPORT_RECIPES, else <assets>/tools/export (installed), else the
  // checkout's tools/export; Python: $NEUROPIPE_PYTHON, else /usr/bin/python3.11.
  static ModelStore from_environment();

  const StoreConfig& config() const { return config_; }
  const Manifest& manifest() const { return manifest_; }
  const ModelEntry& info(const std::string& name) const { return manifest_.at(name); }

  // A verified local copy of the model's file (see the order above); for an
  // export-only entry the exported ONNX (built on first fetch). Errors name the
  // model, every source tried and expected vs actual hashes, or why the
  // export recipe failed (no Python, no torch, its last output lines).
  std::filesystem::path fetch(const std::string& name);
  // Checks the cached (else mirrored) copy without copying or downloading.
  VerifyResult verify(const std::string& name) const;
  // Class names for a model (through its `labels` field) or of a label entry.
  std::vector<std::string> labels(const std::string& name);

 private:
  std::filesystem::path fetch_locked(const ModelEntry& entry);
  std::filesystem::path fetch_export_locked(const ModelEntry& entry);
  std::filesystem::path fetch_upstream_locked(const ModelEntry& entry, const UpstreamFile& upstream);

  StoreConfig config_;
  Manifest manifest_;
  std::mutex fetch_mutex_;
};

}  // namespace neuropipe::models
