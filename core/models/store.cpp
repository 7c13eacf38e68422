// Fetching and verifying model files. A file enters the cache only by an
// atomic rename of a complete, verified temporary file in the same folder, so
// readers (other threads, other processes) never see a partial or wrong file.
#include "neuropipe/models/store.hpp"

#include <atomic>
#include <random>
#include <sstream>

#include "models/download.hpp"
#include "neuropipe/error.hpp"
#include "neuropipe/models/sha256.hpp"

namespace neuropipe::models {

namespace fs = std::filesystem;

namespace {

// A temporary file beside its final place; removed unless committed.
class TempFile {
 public:
  explicit TempFile(const fs::path& target) {
    fs::create_directories(target.parent_path());
    static std::atomic<unsigned> counter{0};
    path_ = target.parent_path() / ("." + target.filename().string() + ".part-" +
                                    std::to_string(std::random_device{}()) + "-" + std::to_string(counter++));
  }
  ~TempFile() {
    std::error_code ec;
    if (!committed_) fs::remove(path_, ec);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const fs::path& path() const { return path_; }
  void commit_as(const fs::path& target) {
    fs::rename(path_, target);
    committed_ = true;
  }

 private:
  fs::path path_;
  bool committed_ = false;
};

std::string mismatch(const std::string& expected, const std::string& actual) {
  return "sha256 mismatch: expected " + expected + ", got " + actual;
}

// Fills `temp` from one source, then verifies it. Returns "" on success or why it failed.
template <typename Fill>
std::string fill_and_verify(TempFile& temp, const ModelEntry& entry, Fill&& fill) {
  try {
    fill(temp.path());
    const std::string actual = sha256_file(temp.path());
    return actual == entry.sha256 ? std::string() : mismatch(entry.sha256, actual);
  } catch (const std::exception& e) {
    return e.what();
  }
}

}  // namespace

const char* to_string(VerifyResult::Status s) {
  switch (s) {
    case VerifyResult::Status::ok:
      return "ok";
    case VerifyResult::Status::missing:
      return "missing";
    case VerifyResult::Status::mismatch:
      return "MISMATCH";
    case VerifyResult::Status::export_only:
      return "offline: export";
  }
  return "?";
}

ModelStore::ModelStore(StoreConfig config)
    : config_(std::move(config)), manifest_(Manifest::load(config_.manifest)) {}

fs::path ModelStore::fetch(const std::string& name) {
  const ModelEntry& entry = manifest_.at(name);
  if (entry.export_only())
    throw Error("model '" + name +
                "' has no downloadable ONNX file (offline: export): its real weights are at " +
                entry.upstream_url + "; produce the ONNX with tools/export/" + entry.export_recipe);
  std::lock_guard<std::mutex> lock(fetch_mutex_);
  return fetch_locked(entry);
}

fs::path ModelStore::fetch_locked(const ModelEntry& entry) {
  const fs::path target = config_.cache_dir / entry.file;
  std::vector<std::string> tried;

  if (fs::exists(target)) {
    const std::string actual = sha256_file(target);
    if (actual == entry.sha256) return target;
    fs::remove(target);  // corrupt or stale: never hand it out, replace it below
    tried.push_back("cache " + target.string() + ": " + mismatch(entry.sha256, actual) + " (removed)");
  } else {
    tried.push_back("cache " + target.string() + ": not present");
  }

  if (config_.mirror_dir) {
    const fs::path mirrored = *config_.mirror_dir / entry.file;
    if (fs::exists(mirrored)) {
      TempFile temp(target);
      const std::string failure = fill_and_verify(temp, entry, [&](const fs::path& dst) {
        fs::copy_file(mirrored, dst, fs::copy_options::overwrite_existing);
      });
      if (failure.empty()) {
        temp.commit_as(target);
        return target;
      }
      tried.push_back("mirror " + mirrored.string() + ": " + failure);
    } else {
      tried.push_back("mirror " + mirrored.string() + ": not present");
    }
  } else {
    tried.push_back("mirror: none (set NEUROPIPE_MODEL_MIRROR to a folder of model files)");
  }

  if (!entry.url.empty()) {
    TempFile temp(target);
    const std::string failure =
        fill_and_verify(temp, entry, [&](const fs::path& dst) { download(entry.url, dst); });
    if (failure.empty()) {
      temp.commit_as(target);
      return target;
    }
    tried.push_back("url " + entry.url + ": " + failure);
  } else {
    tried.push_back("url: none (this file is not published elsewhere; source: " + entry.source + ")");
  }

  std::ostringstream message;
  message << "cannot fetch model '" << entry.name << "' (" << entry.file << ", sha256 " << entry.sha256
          << "); tried:";
  for (const auto& t : tried) message << "\n  - " << t;
  throw Error(message.str());
}

VerifyResult ModelStore::verify(const std::string& name) const {
  const ModelEntry& entry = manifest_.at(name);
  VerifyResult result;
  if (entry.export_only()) {
    result.status = VerifyResult::Status::export_only;
    return result;
  }
  std::vector<fs::path> candidates{config_.cache_dir / entry.file};
  if (config_.mirror_dir) candidates.push_back(*config_.mirror_dir / entry.file);
  for (const auto& candidate : candidates) {
    if (!fs::exists(candidate)) continue;
    result.path = candidate;
    result.actual_sha256 = sha256_file(candidate);
    result.status =
        result.actual_sha256 == entry.sha256 ? VerifyResult::Status::ok : VerifyResult::Status::mismatch;
    return result;
  }
  return result;
}

}  // namespace neuropipe::models
