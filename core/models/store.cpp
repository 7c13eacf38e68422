// Fetching and verifying model files. A file enters the cache only by an
// atomic rename of a complete, verified temporary file in the same folder, so
// readers (other threads, other processes) never see a partial or wrong file.
#include "neuropipe/models/store.hpp"

#include <atomic>
#include <cctype>
#include <random>
#include <sstream>

#include "models/download.hpp"
#include "models/export_recipe.hpp"
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

// One file the store can fetch: a model's ONNX, or the upstream weights an
// export recipe starts from. An empty sha256 (upstream weights whose hash the
// manifest does not know) accepts any complete file.
struct StoredFile {
  std::string file;    // path inside the cache and the mirror
  std::string sha256;  // "" = not known
  std::string url;     // "" = not published
  std::string source;  // provenance, for the error when there is no url
};

bool verified(const StoredFile& f, const fs::path& path, std::string& actual) {
  if (f.sha256.empty()) return true;
  actual = sha256_file(path);
  return actual == f.sha256;
}

// Fills `temp` from one source, then verifies it. Returns "" on success or why it failed.
template <typename Fill>
std::string fill_and_verify(TempFile& temp, const StoredFile& f, Fill&& fill) {
  try {
    fill(temp.path());
    std::string actual;
    return verified(f, temp.path(), actual) ? std::string() : mismatch(f.sha256, actual);
  } catch (const std::exception& e) {
    return e.what();
  }
}

// Cache, then mirror, then url (see the header). Returns the cached path, or
// "" with every attempt appended to `tried`.
fs::path fetch_file(const StoreConfig& config, const StoredFile& f, std::vector<std::string>& tried) {
  const fs::path target = config.cache_dir / f.file;
  if (fs::exists(target)) {
    std::string actual;
    if (verified(f, target, actual)) return target;
    fs::remove(target);  // corrupt or stale: never hand it out, replace it below
    tried.push_back("cache " + target.string() + ": " + mismatch(f.sha256, actual) + " (removed)");
  } else {
    tried.push_back("cache " + target.string() + ": not present");
  }

  if (config.mirror_dir) {
    const fs::path mirrored = *config.mirror_dir / f.file;
    if (fs::exists(mirrored)) {
      TempFile temp(target);
      const std::string failure = fill_and_verify(temp, f, [&](const fs::path& dst) {
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

  if (!f.url.empty()) {
    TempFile temp(target);
    const std::string failure = fill_and_verify(temp, f, [&](const fs::path& dst) { download(f.url, dst); });
    if (failure.empty()) {
      temp.commit_as(target);
      return target;
    }
    tried.push_back("url " + f.url + ": " + failure);
  } else {
    tried.push_back("url: none (this file is not published elsewhere; source: " + f.source + ")");
  }
  return {};
}

std::string tried_list(const std::vector<std::string>& tried) {
  std::string text;
  for (const auto& t : tried) text += "\n  - " + t;
  return text;
}

// Upstream weights are stored as upstream/<last part of the URL path>, e.g.
// upstream/resnet18-f37072fd.pth (query and fragment dropped).
std::string upstream_file(const ModelEntry& entry) {
  std::string path = entry.upstream_url.substr(0, entry.upstream_url.find_first_of("?#"));
  std::string name = path.substr(path.find_last_of('/') + 1);
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') c = '_';
  if (name.empty() || name == "." || name == "..") name = entry.name + ".weights";
  return "upstream/" + name;
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
    case VerifyResult::Status::exported:
      return "exported";
  }
  return "?";
}

ModelStore::ModelStore(StoreConfig config)
    : config_(std::move(config)), manifest_(Manifest::load(config_.manifest)) {}

fs::path ModelStore::fetch(const std::string& name) {
  const ModelEntry& entry = manifest_.at(name);
  std::lock_guard<std::mutex> lock(fetch_mutex_);
  return entry.export_only() ? fetch_export_locked(entry) : fetch_locked(entry);
}

fs::path ModelStore::fetch_locked(const ModelEntry& entry) {
  std::vector<std::string> tried;
  const fs::path got = fetch_file(config_, {entry.file, entry.sha256, entry.url, entry.source}, tried);
  if (!got.empty()) return got;
  throw Error("cannot fetch model '" + entry.name + "' (" + entry.file + ", sha256 " + entry.sha256 +
              "); tried:" + tried_list(tried));
}

// The exported ONNX enters the cache only by rename after its recipe
// succeeded, so a cached file is complete (exports are not byte-reproducible,
// so there is no sha256 to check it against).
fs::path ModelStore::fetch_export_locked(const ModelEntry& entry) {
  const fs::path target = config_.cache_dir / entry.file;
  if (fs::exists(target)) return target;
  check_export_recipe(config_, entry);  // before downloading weights nothing could use
  const fs::path weights = fetch_upstream_locked(entry);
  TempFile temp(target);
  run_export_recipe(config_, entry, weights, temp.path());
  temp.commit_as(target);
  return target;
}

fs::path ModelStore::fetch_upstream_locked(const ModelEntry& entry) {
  std::vector<std::string> tried;
  const StoredFile weights{upstream_file(entry), entry.upstream_sha256, entry.upstream_url, entry.source};
  const fs::path got = fetch_file(config_, weights, tried);
  if (!got.empty()) return got;
  throw Error("cannot fetch the upstream weights of model '" + entry.name + "' (offline: export; " +
              weights.file + ", sha256 " + (entry.upstream_sha256.empty() ? "not known" : entry.upstream_sha256) +
              ") to run its export recipe tools/export/" + entry.export_recipe + ".py; tried:" + tried_list(tried));
}

VerifyResult ModelStore::verify(const std::string& name) const {
  const ModelEntry& entry = manifest_.at(name);
  VerifyResult result;
  if (entry.export_only()) {
    const fs::path exported = config_.cache_dir / entry.file;
    result.status = fs::exists(exported) ? VerifyResult::Status::exported : VerifyResult::Status::export_only;
    if (result.status == VerifyResult::Status::exported) result.path = exported;
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
