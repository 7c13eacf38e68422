// Parsing and checking assets/models.yaml. Unknown keys are errors (they are
// almost always typos), and every error carries file:line and the field.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "models/yaml_to_json.hpp"
#include "neuropipe/error.hpp"
#include "neuropipe/models/store.hpp"

namespace neuropipe::models {

namespace {

// Names a place in the manifest for error messages: "models.yaml:12".
class Where {
 public:
  explicit Where(std::string origin) : origin_(std::move(origin)) {}
  std::string at(const YAML::Node& node) const {
    return origin_ + ":" + std::to_string(node.Mark().line + 1);
  }
  [[noreturn]] void fail(const YAML::Node& node, const std::string& what) const {
    throw Error(at(node) + ": " + what);
  }
  const std::string& origin() const { return origin_; }

 private:
  std::string origin_;
};

void require_map(const Where& where, const YAML::Node& node, const std::string& what) {
  if (!node.IsMap()) where.fail(node, what + " must be a mapping");
}

void reject_unknown_keys(const Where& where, const YAML::Node& map, const std::string& what,
                         const std::set<std::string>& allowed) {
  for (const auto& kv : map) {
    const auto key = kv.first.as<std::string>();
    if (!allowed.count(key)) where.fail(kv.first, "unknown field '" + key + "' in " + what);
  }
}

template <typename T>
T read_scalar(const Where& where, const YAML::Node& node, const std::string& field) {
  if (!node.IsScalar()) where.fail(node, "field '" + field + "' must be a single value");
  try {
    return node.as<T>();
  } catch (const YAML::Exception&) {
    where.fail(node, "field '" + field + "' has an invalid value '" + node.Scalar() + "'");
  }
}

std::string required_string(const Where& where, const YAML::Node& map, const std::string& field,
                            const std::string& what) {
  const YAML::Node node = map[field];
  if (!node) where.fail(map, what + " is missing required field '" + field + "'");
  auto value = read_scalar<std::string>(where, node, field);
  if (value.empty()) where.fail(node, "field '" + field + "' of " + what + " is empty");
  return value;
}

std::string optional_string(const Where& where, const YAML::Node& map, const std::string& field) {
  const YAML::Node node = map[field];
  return node ? read_scalar<std::string>(where, node, field) : std::string();
}

template <typename Enum>
Enum read_enum(const Where& where, const YAML::Node& node, const std::string& field,
               std::initializer_list<std::pair<const char*, Enum>> choices) {
  const auto text = read_scalar<std::string>(where, node, field);
  std::string names;
  for (const auto& [name, value] : choices) {
    if (text == name) return value;
    names += names.empty() ? name : std::string(", ") + name;
  }
  where.fail(node, "field '" + field + "' is '" + text + "', expected one of: " + names);
}

std::array<float, 3> read_triple(const Where& where, const YAML::Node& node, const std::string& field) {
  if (node.IsScalar()) {  // one value for all channels
    const auto v = read_scalar<float>(where, node, field);
    return {v, v, v};
  }
  if (!node.IsSequence() || node.size() != 3)
    where.fail(node, "field '" + field + "' must be a number or [a, b, c]");
  return {read_scalar<float>(where, node[0], field), read_scalar<float>(where, node[1], field),
          read_scalar<float>(where, node[2], field)};
}

InputSpec parse_input(const Where& where, const YAML::Node& node, const std::string& what) {
  require_map(where, node, "'input' of " + what);
  reject_unknown_keys(where, node, "'input' of " + what,
                      {"tensor", "layout", "width", "height", "channels", "color", "scale", "mean", "std",
                       "dtype", "dynamic_size"});
  InputSpec spec;
  spec.tensor = required_string(where, node, "tensor", "'input' of " + what);
  if (node["layout"])
    spec.layout =
        read_enum<Layout>(where, node["layout"], "layout", {{"NCHW", Layout::NCHW}, {"NHWC", Layout::NHWC}});
  if (node["width"]) spec.width = read_scalar<int>(where, node["width"], "width");
  if (node["height"]) spec.height = read_scalar<int>(where, node["height"], "height");
  if (node["channels"]) spec.channels = read_scalar<int>(where, node["channels"], "channels");
  if (node["color"])
    spec.color = read_enum<ColorOrder>(
        where, node["color"], "color",
        {{"RGB", ColorOrder::RGB}, {"BGR", ColorOrder::BGR}, {"GRAY", ColorOrder::GRAY}});
  if (node["scale"]) spec.scale = read_scalar<float>(where, node["scale"], "scale");
  if (node["mean"]) spec.mean = read_triple(where, node["mean"], "mean");
  if (node["std"]) spec.std = read_triple(where, node["std"], "std");
  if (node["dtype"])
    spec.dtype = read_enum<DType>(where, node["dtype"], "dtype", {{"f32", DType::F32}, {"f16", DType::F16}});
  if (node["dynamic_size"])
    spec.dynamic_size = read_scalar<bool>(where, node["dynamic_size"], "dynamic_size");
  if (spec.width <= 0 || spec.height <= 0)
    where.fail(node, "'input' of " + what + " needs positive width and height");
  if (spec.channels != 1 && spec.channels != 3)
    where.fail(node, "'input' of " + what + " needs channels 1 or 3");
  for (float s : spec.std)
    if (s == 0.0f) where.fail(node["std"], "'input' of " + what + " has a zero std");
  return spec;
}

std::vector<OutputSpec> parse_outputs(const Where& where, const YAML::Node& node, const std::string& what) {
  if (!node.IsSequence()) where.fail(node, "'outputs' of " + what + " must be a list");
  std::vector<OutputSpec> outputs;
  for (const auto& item : node) {
    require_map(where, item, "an output of " + what);
    reject_unknown_keys(where, item, "an output of " + what, {"name", "decoding"});
    outputs.push_back({required_string(where, item, "name", "an output of " + what),
                       required_string(where, item, "decoding", "an output of " + what)});
  }
  return outputs;
}

bool is_sha256_hex(const std::string& s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// Public downloads must be HTTPS; plain HTTP only to this machine (a local
// mirror server). The sha256 check guards the bytes either way.
bool is_allowed_url(const std::string& url) {
  for (const char* prefix : {"https://", "file://", "http://127.0.0.1:", "http://127.0.0.1/",
                             "http://localhost:", "http://localhost/"})
    if (url.rfind(prefix, 0) == 0) return true;
  return false;
}

bool is_relative_inside(const std::string& path) {
  return !path.empty() && !std::filesystem::path(path).is_absolute() && path.find("..") == std::string::npos;
}

// A recipe option name: lower-case letters, digits and '-', not one the store passes itself.
bool is_recipe_option(const std::string& arg) {
  if (arg.empty() || arg == "model" || arg == "onnx" || arg == "output") return false;
  return std::all_of(arg.begin(), arg.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

// `upstream:` - the downloads of an export recipe, each `{arg, url, sha256?, member?}`.
std::vector<UpstreamFile> parse_upstream(const Where& where, const YAML::Node& node, const std::string& what) {
  if (!node.IsSequence() || node.size() == 0) where.fail(node, "'upstream' of " + what + " must be a non-empty list");
  std::vector<UpstreamFile> files;
  for (const auto& item : node) {
    const std::string one = "an 'upstream' file of " + what;
    require_map(where, item, one);
    reject_unknown_keys(where, item, one, {"arg", "url", "sha256", "member"});
    UpstreamFile f{required_string(where, item, "arg", one), required_string(where, item, "url", one),
                   optional_string(where, item, "sha256"), optional_string(where, item, "member")};
    if (!is_recipe_option(f.arg))
      where.fail(item["arg"], one + ": 'arg' must be a recipe option name (a-z, 0-9, '-'; not model, onnx, output)");
    for (const auto& earlier : files)
      if (earlier.arg == f.arg) where.fail(item["arg"], one + ": 'arg' " + f.arg + " is given twice");
    if (!f.sha256.empty() && !is_sha256_hex(f.sha256))
      where.fail(item["sha256"], one + ": 'sha256' must be 64 lower-case hex digits");
    if (item["member"] && !is_relative_inside(f.member))
      where.fail(item["member"], one + ": 'member' must be a relative path inside the archive");
    files.push_back(std::move(f));
  }
  return files;
}

std::vector<std::string> read_strings(const Where& where, const YAML::Node& node, const std::string& field) {
  if (!node.IsSequence()) where.fail(node, "field '" + field + "' must be a list");
  std::vector<std::string> values;
  for (const auto& item : node) values.push_back(read_scalar<std::string>(where, item, field));
  return values;
}

// export_outputs name keys of `extra` whose values are more files the recipe writes.
void check_export_outputs(const Where& where, const YAML::Node& node, const ModelEntry& e) {
  const std::string what = "model '" + e.name + "'";
  for (const auto& key : e.export_outputs) {
    auto it = e.extra.find(key);
    if (it == e.extra.end() || !it->is_string() || !is_relative_inside(it->get<std::string>()) ||
        it->get<std::string>() == e.file)
      where.fail(node["export_outputs"], what + ": export_outputs names '" + key +
                                             "', which must be a key of 'extra' holding a relative file path "
                                             "other than 'file'");
  }
}

void check_export_sources(const Where& where, const YAML::Node& node, const ModelEntry& e) {
  const std::string what = "model '" + e.name + "'";
  if (!e.export_only()) {
    for (const char* field : {"upstream", "export_args", "export_outputs"})
      if (node[field]) where.fail(node[field], what + ": '" + field + "' is for offline: export entries only");
    return;
  }
  if (e.export_recipe.empty()) where.fail(node, what + " is offline: export but names no 'export_recipe'");
  if (e.upstream_url.empty() == !node["upstream"])
    where.fail(node, what + " is offline: export and needs exactly one of 'upstream_url' (one file) or "
                            "'upstream' (a list of downloads)");
  if (node["upstream"] && node["upstream_sha256"])
    where.fail(node["upstream_sha256"], what + ": with an 'upstream' list, give each file its own 'sha256'");
  check_export_outputs(where, node, e);
}

void check_sources(const Where& where, const YAML::Node& node, const ModelEntry& e) {
  const std::string what = "model '" + e.name + "'";
  if (!e.offline.empty() && e.offline != "export")
    where.fail(node["offline"], what + ": 'offline' must be 'export' (got '" + e.offline + "')");
  check_export_sources(where, node, e);
  if (!e.export_only() && !is_sha256_hex(e.sha256))
    where.fail(node["sha256"] ? node["sha256"] : node, what + " needs 'sha256': 64 lower-case hex digits");
  if (!e.upstream_sha256.empty() && !is_sha256_hex(e.upstream_sha256))
    where.fail(node["upstream_sha256"], what + ": 'upstream_sha256' must be 64 lower-case hex digits");
  if (!e.url.empty() && !is_allowed_url(e.url))
    where.fail(node["url"],
               what + ": 'url' must be https:// (or file:// / http://127.0.0.1 for local mirrors)");
}

ModelEntry parse_entry(const Where& where, const YAML::Node& node) {
  require_map(where, node, "a model entry");
  ModelEntry e;
  e.line = node.Mark().line + 1;
  e.name = required_string(where, node, "name", "a model entry");
  const std::string what = "model '" + e.name + "'";
  reject_unknown_keys(where, node, what,
                      {"name", "task", "file", "sha256", "url", "upstream_url", "upstream_sha256", "source", "license",
                       "description", "offline", "export_recipe", "upstream", "export_args", "export_outputs",
                       "input", "outputs", "labels", "extra"});
  e.task = required_string(where, node, "task", what);
  e.file = required_string(where, node, "file", what);
  e.source = required_string(where, node, "source", what);
  e.license = required_string(where, node, "license", what);
  e.sha256 = optional_string(where, node, "sha256");
  e.url = optional_string(where, node, "url");
  e.upstream_url = optional_string(where, node, "upstream_url");
  e.upstream_sha256 = optional_string(where, node, "upstream_sha256");
  e.description = optional_string(where, node, "description");
  e.offline = optional_string(where, node, "offline");
  e.export_recipe = optional_string(where, node, "export_recipe");
  e.labels = optional_string(where, node, "labels");
  if (node["input"]) e.input = parse_input(where, node["input"], what);
  if (node["outputs"]) e.outputs = parse_outputs(where, node["outputs"], what);
  if (node["extra"]) {
    require_map(where, node["extra"], "'extra' of " + what);
    e.extra = yaml_to_json(node["extra"]);
  }
  if (node["upstream"]) e.upstream = parse_upstream(where, node["upstream"], what);
  if (node["export_args"]) e.export_args = read_strings(where, node["export_args"], "export_args");
  if (node["export_outputs"]) e.export_outputs = read_strings(where, node["export_outputs"], "export_outputs");
  if (!is_relative_inside(e.file))
    where.fail(node["file"], what + ": 'file' must be a relative path inside the store");
  check_sources(where, node, e);
  if (e.export_only() && !e.upstream_url.empty()) e.upstream = {{"weights", e.upstream_url, e.upstream_sha256, ""}};
  return e;
}

// Label references must resolve: to another entry, or (checked at use) to assets/.
void check_label_references(const Where& where, const Manifest& m) {
  for (const auto& e : m.entries()) {
    const ModelEntry* target = m.find(e.labels);
    if (target && target->task != "labels")
      throw Error(where.origin() + ":" + std::to_string(e.line) + ": model '" + e.name +
                  "' takes labels from '" + e.labels + "', which is not a labels entry");
  }
}

}  // namespace

Manifest Manifest::load(const std::filesystem::path& yaml_file) {
  std::ifstream in(yaml_file);
  if (!in) throw Error("cannot read model manifest " + yaml_file.string());
  std::stringstream text;
  text << in.rdbuf();
  return parse(text.str(), yaml_file.string());
}

Manifest Manifest::parse(const std::string& yaml_text, const std::string& origin) {
  const Where where(origin);
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::ParserException& e) {
    throw Error(origin + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                ": malformed YAML: " + e.msg);
  }
  if (!root.IsMap() || !root["models"])
    throw Error(origin + ": a model manifest needs a top-level 'models:' list");
  if (!root["models"].IsSequence()) where.fail(root["models"], "'models' must be a list");
  Manifest manifest;
  manifest.origin_ = origin;
  for (const auto& node : root["models"]) {
    ModelEntry entry = parse_entry(where, node);
    if (manifest.find(entry.name))
      where.fail(node, "model '" + entry.name + "' is defined twice (first at line " +
                           std::to_string(manifest.at(entry.name).line) + ")");
    manifest.entries_.push_back(std::move(entry));
  }
  check_label_references(where, manifest);
  return manifest;
}

const ModelEntry* Manifest::find(const std::string& name) const {
  auto it =
      std::find_if(entries_.begin(), entries_.end(), [&](const ModelEntry& e) { return e.name == name; });
  return it == entries_.end() ? nullptr : &*it;
}

const ModelEntry& Manifest::at(const std::string& name) const {
  if (const ModelEntry* e = find(name)) return *e;
  throw Error("unknown model '" + name + "' (not in " + origin_ +
              "; `neuropipe models list` shows the known ones)");
}

}  // namespace neuropipe::models
