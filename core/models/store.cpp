// Fetching and verifying model files. A file enters the cache only by an
// atomic rename of a complete, verified temporary file in the same folder, so
// readers (other threads, other processes) never see a partial or wrong file.
#include "neuropipe/models/store.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <list>
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

// Upstream downloads are stored as upstream/<last part of the URL path>, e.g.
// upstream/resnet18-f37072fd.pth (query and fragment dropped).
std::string upstream_file(const ModelEntry& entry, const UpstreamFile& upstream) {
  std::string path = upstream.url.substr(0, upstream.url.find_first_of("?#"));
  std::string name = path.substr(path.find_last_of('/') + 1);
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') c = '_';
  if (name.empty() || name == "." || name == "..") name = entry.name + "." + upstream.arg;
  return "upstream/" + name;
}

// Everything an export writes into the cache: the entry's `file` first, then
// one (key, path) per export_outputs key (its path in `extra`).
std::vector<std::pair<std::string, fs::path>> export_targets(const StoreConfig& config, const ModelEntry& entry) {
  std::vector<std::pair<std::string, fs::path>> targets{{"onnx", config.cache_dir / entry.file}};
  for (const auto& key : entry.export_outputs)
    targets.emplace_back(key, config.cache_dir / entry.extra.at(key).get<std::string>());
  return targets;
}

bool all_exist(const std::vector<std::pair<std::string, fs::path>>& targets) {
  return std::all_of(targets.begin(), targets.end(), [](const auto& t) { return fs::exists(t.second); });
}

// The zip member `upstream` names, taken out of `download` (the cached zip,
// `stored` inside the cache) into a temporary in `members` for the recipe.
RecipeInput take_member(const StoreConfig& config, const ModelEntry& entry, const UpstreamFile& upstream,
                        const fs::path& download, const std::string& stored, std::list<TempFile>& members) {
  const TempFile& member = members.emplace_back(
      download.parent_path() / (download.filename().string() + "-" + fs::path(upstream.member).filename().string()));
  const std::string origin = stored + " (" + upstream.url + ")";
  try {
    extract_zip_member(config, entry, download, origin, upstream.member, member.path());
  } catch (const Error& e) {
    // Most likely a bad download (cut short, a web page): with no sha256 to
    // catch it, a cached copy would be reused forever, so it goes.
    std::error_code ec;
    fs::remove(download, ec);
    throw Error(std::string(e.what()) + "\n  (" + download.string() +
                " was removed from the cache; the next fetch gets it again)");
  }
  return {upstream.arg, member.path(), "member " + upstream.member + " of " + origin};
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

// The exported files enter the cache only by rename after their recipe
// succeeded, the entry's `file` last, so a cached export is complete (exports
// are not byte-reproducible, so there is no sha256 to check them against).
// Members taken out of upstream zips are temporaries, gone after the export.
fs::path ModelStore::fetch_export_locked(const ModelEntry& entry) {
  const auto targets = export_targets(config_, entry);
  if (all_exist(targets)) return targets.front().second;
  check_export_recipe(config_, entry);  // before downloading weights nothing could use
  std::list<TempFile> members;
  std::vector<RecipeInput> inputs;
  for (const UpstreamFile& upstream : entry.upstream) {
    const std::string stored = upstream_file(entry, upstream);
    const fs::path download = fetch_upstream_locked(entry, upstream);
    if (upstream.member.empty()) {
      inputs.push_back({upstream.arg, download, stored + " (" + upstream.url + ")"});
      continue;
    }
    inputs.push_back(take_member(config_, entry, upstream, download, stored, members));
  }
  std::list<TempFile> written;
  std::vector<std::pair<std::string, fs::path>> outputs;
  for (const auto& [key, target] : targets) outputs.emplace_back(key, written.emplace_back(target).path());
  run_export_recipe(config_, entry, inputs, outputs.front().second, {outputs.begin() + 1, outputs.end()});
  auto temp = written.rbegin();  // the entry's own file is committed last
  for (auto target = targets.rbegin(); target != targets.rend(); ++target, ++temp) temp->commit_as(target->second);
  return targets.front().second;
}

fs::path ModelStore::fetch_upstream_locked(const ModelEntry& entry, const UpstreamFile& upstream) {
  std::vector<std::string> tried;
  const StoredFile download{upstream_file(entry, upstream), upstream.sha256, upstream.url, entry.source};
  const fs::path got = fetch_file(config_, download, tried);
  if (!got.empty()) return got;
  throw Error("cannot fetch the upstream weights of model '" + entry.name + "' (offline: export; --" +
              upstream.arg + " " + download.file + ", sha256 " +
              (upstream.sha256.empty() ? "not published" : upstream.sha256) +
              ") to run its export recipe tools/export/" + entry.export_recipe + ".py; tried:" + tried_list(tried));
}

VerifyResult ModelStore::verify(const std::string& name) const {
  const ModelEntry& entry = manifest_.at(name);
  VerifyResult result;
  if (entry.export_only()) {
    const auto targets = export_targets(config_, entry);
    result.status = all_exist(targets) ? VerifyResult::Status::exported : VerifyResult::Status::export_only;
    if (result.status == VerifyResult::Status::exported) result.path = targets.front().second;
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
