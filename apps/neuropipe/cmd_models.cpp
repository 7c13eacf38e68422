// `neuropipe models`: list, fetch, verify and describe the models of assets/models.yaml.
#include <iomanip>
#include <iostream>
#include <sstream>

#include "command.hpp"
#include "neuropipe/error.hpp"
#include "neuropipe/models/store.hpp"

namespace neuropipe::cli {

namespace {

using models::ModelEntry;
using models::ModelStore;
using models::VerifyResult;

constexpr const char* kUsage =
    "Usage: neuropipe models list\n"
    "       neuropipe models fetch NAME... | --all\n"
    "       neuropipe models verify [NAME...]\n"
    "       neuropipe models info NAME\n"
    "\n"
    "fetch takes each file from the cache, else the mirror ($NEUROPIPE_MODEL_MIRROR), else its URL,\n"
    "and checks its sha256. verify checks cached/mirrored files without copying; it fails when a\n"
    "file is corrupt or a NAME given is missing. Entries marked 'offline: export' have no ONNX to\n"
    "download: fetch NAME gets their upstream files (cache, mirror, upstream URL; members of zips\n"
    "taken out) and runs tools/export/<recipe>.py (/usr/bin/python3.11 with torch, or\n"
    "$NEUROPIPE_PYTHON) to write the ONNX (and the entry's other files) into the cache; --all\n"
    "leaves them out.\n";

int list(ModelStore& store) {
  std::cout << std::left << std::setw(40) << "NAME" << std::setw(13) << "TASK" << std::setw(17) << "STATUS"
            << "FILE\n";
  for (const auto& e : store.manifest().entries()) {
    const VerifyResult v = store.verify(e.name);
    std::cout << std::setw(40) << e.name << std::setw(13) << e.task << std::setw(17)
              << models::to_string(v.status) << e.file << "\n";
  }
  std::cout << "\ncache: " << store.config().cache_dir.string()
            << "\nmirror: " << (store.config().mirror_dir ? store.config().mirror_dir->string() : "(none)")
            << "\n";
  return 0;
}

int fetch(ModelStore& store, const std::vector<std::string>& names) {
  std::vector<std::string> wanted(names.begin(), names.end());
  if (wanted.size() == 1 && wanted[0] == "--all") {
    wanted.clear();
    for (const auto& e : store.manifest().entries())
      if (!e.export_only()) wanted.push_back(e.name);
  }
  if (wanted.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  int failures = 0;
  for (const auto& name : wanted) {
    try {
      const auto path = store.fetch(name);  // before printing: a failed fetch prints only its error
      std::cout << name << " -> " << path.string() << "\n";
    } catch (const Error& e) {
      std::cerr << "error: " << e.what() << "\n";
      ++failures;
    }
  }
  return failures == 0 ? 0 : 1;
}

int verify(ModelStore& store, const std::vector<std::string>& names) {
  const bool named = !names.empty();
  std::vector<std::string> wanted = names;
  if (!named)
    for (const auto& e : store.manifest().entries()) wanted.push_back(e.name);
  int ok = 0, failures = 0, missing = 0, exports = 0;
  for (const auto& name : wanted) {
    const VerifyResult v = store.verify(name);
    std::cout << std::left << std::setw(40) << name << models::to_string(v.status);
    if (!v.path.empty()) std::cout << "  " << v.path.string();
    if (v.status == VerifyResult::Status::mismatch)
      std::cout << "\n    expected " << store.info(name).sha256 << "\n    actual   " << v.actual_sha256;
    std::cout << "\n";
    switch (v.status) {
      case VerifyResult::Status::ok:
        ++ok;
        break;
      case VerifyResult::Status::mismatch:
        ++failures;
        break;
      case VerifyResult::Status::export_only:
      case VerifyResult::Status::exported:
        ++exports;
        break;
      case VerifyResult::Status::missing:
        ++missing;
        if (named) ++failures;  // asked for by name: it must be there
        break;
    }
  }
  std::cout << "\n"
            << ok << " verified, " << failures << " failed, " << missing << " not present, " << exports
            << " offline: export\n";
  return failures == 0 ? 0 : 1;
}

std::string describe_input(const models::InputSpec& in) {
  static const char* kLayouts[] = {"NCHW", "NHWC"};
  static const char* kColors[] = {"RGB", "BGR", "GRAY"};
  std::ostringstream s;
  s << in.tensor << " " << kLayouts[static_cast<int>(in.layout)] << " " << in.width << "x" << in.height << "x"
    << in.channels << " " << kColors[static_cast<int>(in.color)]
    << (in.dtype == models::DType::F16 ? " f16" : " f32") << (in.dynamic_size ? " (any size)" : "")
    << "; value = (pixel * " << in.scale << " - [" << in.mean[0] << ", " << in.mean[1] << ", " << in.mean[2]
    << "]) / [" << in.std[0] << ", " << in.std[1] << ", " << in.std[2] << "]";
  return s.str();
}

int info(ModelStore& store, const std::vector<std::string>& names) {
  if (names.size() != 1) {
    std::cerr << kUsage;
    return 2;
  }
  const ModelEntry& e = store.info(names[0]);
  auto field = [](const char* key, const std::string& value) {
    if (!value.empty()) std::cout << std::left << std::setw(14) << key << value << "\n";
  };
  field("name", e.name);
  field("task", e.task);
  field("description", e.description);
  field("file", e.file);
  field("sha256", e.sha256);
  field("url", e.url);
  field("source", e.source);
  field("license", e.license);
  if (e.export_only())
    field("offline", "export (`neuropipe models fetch " + e.name + "` runs tools/export/" + e.export_recipe +
                         ".py on the upstream weights)");
  for (const auto& u : e.upstream)
    field("upstream", "--" + u.arg + " " + u.url + (u.member.empty() ? "" : " (zip member " + u.member + ")") +
                          (u.sha256.empty() ? ", sha256 not published" : ", sha256 " + u.sha256));
  for (const auto& key : e.export_outputs) field("export_output", key + ": " + e.extra.at(key).get<std::string>());
  if (e.input) field("input", describe_input(*e.input));
  for (const auto& o : e.outputs) field("output", o.name + " (" + o.decoding + ")");
  field("labels", e.labels);
  if (!e.extra.empty()) field("extra", e.extra.dump());
  field("status", models::to_string(store.verify(e.name).status));
  return 0;
}

int run_models(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  ModelStore store = ModelStore::from_environment();
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "list") return list(store);
  if (args[0] == "fetch") return fetch(store, rest);
  if (args[0] == "verify") return verify(store, rest);
  if (args[0] == "info") return info(store, rest);
  std::cerr << "neuropipe models: unknown action '" << args[0] << "'\n" << kUsage;
  return 2;
}

const CommandRegistrar registrar{
    {"models", "list, fetch, verify and describe models (assets/models.yaml)", run_models}};

}  // namespace

}  // namespace neuropipe::cli
