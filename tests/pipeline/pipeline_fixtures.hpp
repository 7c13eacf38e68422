#pragma once
// Shared by the pipeline tests: in-memory sources (synthetic frames, paced
// like a camera, optionally losing the stream) and a capturing sink, plus a
// catalog holding the SDK test plugins from tests/pipeline/plugins.
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "neuropipe/pipeline/loader.hpp"
#include "neuropipe/pipeline/runner.hpp"
#include "neuropipe/pipeline/validation.hpp"

namespace neuropipe::test {

// What a capture sink saw, in arrival order.
struct Captured {
  struct Item {
    int stream_id;
    std::string source;
    int64_t index;
    nlohmann::json metadata;  // node name -> to_json()
  };
  std::mutex mutex;
  std::vector<Item> items;
  bool closed = false, aborted = false;
  std::vector<Item> snapshot() {
    std::lock_guard lock(mutex);
    return items;
  }
};

// The test plugins (libneuropipe_test_*.so) and every discovered plugin.
const pipeline::NodeCatalog& test_catalog();

// Sources with uri "synthetic://COUNT[:INTERVAL_MS[:LOSE_AT]]" make COUNT
// 32x24 frames, one every INTERVAL_MS (0: as fast as asked), and throw
// StreamLost once at frame LOSE_AT. Sinks with path "capture://NAME" record into
// captured(NAME). Everything else opens real media.
pipeline::MediaFactory test_media();
std::shared_ptr<Captured> captured(const std::string& name);

pipeline::ValidatedPipeline validated(const std::string& yaml, const pipeline::VariableOverrides& vars = {});
pipeline::RunSummary run_yaml(const std::string& yaml, pipeline::RunOptions options = {},
                              const pipeline::VariableOverrides& vars = {});

}  // namespace neuropipe::test
