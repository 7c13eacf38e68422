#include "neuropipe/pipeline/validation.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

namespace neuropipe::pipeline {

namespace {

std::string join_problems(const std::vector<Problem>& problems) {
  std::string text;
  for (const auto& p : problems) text += (text.empty() ? "" : "\n") + p.str();
  return text;
}

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates) {
  const auto near = close_names(name, candidates);
  if (near.empty()) return "";
  std::string text = "did you mean ";
  for (size_t i = 0; i < near.size() && i < 3; ++i) text += (i ? ", '" : "'") + near[i] + "'";
  return text + "?";
}

bool has_scheme(const std::string& uri) { return uri.find("://") != std::string::npos; }

// Local files and folders can be checked before any decoder is opened.
bool is_local_path(const media::SourceSpec& spec) {
  static const std::set<std::string> non_file_kinds = {"camera", "stream", "lavfi"};
  return !non_file_kinds.count(spec.kind) && !has_scheme(spec.uri) && spec.uri.rfind("/dev/", 0) != 0;
}

// Which parameter a PluginRegistry message is about, to point at its line.
Location param_location(const NodeDecl& node, const std::string& message) {
  for (const auto& [name, where] : node.param_where)
    if (message.find("parameter '" + name + "'") != std::string::npos) return where;
  return node.params_where;
}

class Validator {
 public:
  Validator(PipelineSpec& spec, const NodeCatalog& catalog) : spec_(spec), catalog_(catalog) {}

  ValidatedPipeline run() {
    check_names();
    check_sources();
    for (const auto& node : spec_.nodes) check_node(node);
    check_settings();
    for (const auto& sink : spec_.sinks) check_sink(sink);
    if (!problems_.empty()) throw ValidationError(problems_);
    PipelineGraph graph = PipelineGraph::build(spec_);  // throws on a cycle
    check_metadata_flow(graph);
    check_image_writers(graph);
    check_sink_sources(graph);
    if (!problems_.empty()) throw ValidationError(problems_);
    return {spec_, std::move(graph), std::move(infos_), std::move(params_)};
  }

 private:
  void report(const Location& where, std::string message, std::string hint = "") {
    problems_.push_back({where, std::move(message), std::move(hint)});
  }

  std::vector<std::string> node_names() const {
    std::vector<std::string> names;
    for (const auto& n : spec_.nodes) names.push_back(n.name);
    return names;
  }
  std::vector<std::string> source_names() const {
    std::vector<std::string> names;
    for (const auto& s : spec_.sources) names.push_back(s.spec.name);
    return names;
  }
  bool is_node(const std::string& name) const {
    auto names = node_names();
    return std::find(names.begin(), names.end(), name) != names.end();
  }
  bool is_source(const std::string& name) const {
    auto names = source_names();
    return std::find(names.begin(), names.end(), name) != names.end();
  }

  void check_names() {
    std::set<std::string> seen;
    auto claim = [&](const std::string& name, const Location& where, const char* what) {
      if (!seen.insert(name).second)
        report(where, std::string(what) + " name '" + name + "' is used twice",
               "give each source, node and sink its own name");
    };
    for (const auto& s : spec_.sources) claim(s.spec.name, s.where, "source");
    for (const auto& n : spec_.nodes) claim(n.name, n.where, "node");
    for (const auto& k : spec_.sinks) claim(k.spec.name, k.where, "sink");
    if (spec_.sources.empty()) report({spec_.file.string(), 0, 0}, "the pipeline has no sources");
  }

  void check_sources() {
    for (const auto& s : spec_.sources) {
      if (s.spec.uri.empty()) {
        report(s.uri_where, "source '" + s.spec.name + "' has an empty uri", "pass --input PATH");
        continue;
      }
      if (!is_local_path(s.spec)) continue;
      std::error_code ec;
      if (!std::filesystem::exists(s.spec.uri, ec))
        report(s.uri_where,
               "source '" + s.spec.name + "' cannot be read: no such file or folder '" + s.spec.uri + "'",
               "check the path given with --input");
    }
  }

  void check_node(const NodeDecl& node) {
    const plugin::PluginInfo* info = catalog_.find(node.plugin);
    infos_.push_back(info ? *info : plugin::PluginInfo{});
    params_.push_back(node.params);
    if (!info) {
      std::string hint = did_you_mean(node.plugin, catalog_.plugin_names());
      if (hint.empty()) hint = "`neuropipe plugins list` shows the installed plugins";
      report(node.plugin_where, "node '" + node.name + "': unknown plugin '" + node.plugin + "'", hint);
    } else {
      try {
        params_.back() = catalog_.validate_params(node.plugin, node.name, node.params);
      } catch (const Error& e) {
        report(param_location(node, e.what()), e.what(),
               "`neuropipe plugins info " + node.plugin + "` lists its parameters");
      }
      if (node.batch_size > 1 && !info->batched)
        report(node.where,
               "node '" + node.name + "': batch_size " + std::to_string(node.batch_size) + " but plugin '" +
                   node.plugin + "' has no process_batch",
               "remove batch_size");
    }
    auto names = node_names();
    auto sources = source_names();
    names.insert(names.end(), sources.begin(), sources.end());
    for (size_t i = 0; i < node.after.size(); ++i) {
      const auto& dep = node.after[i];
      if (dep == node.name)
        report(node.after_where[i], "node '" + node.name + "' waits for itself", "remove it from `after:`");
      else if (!is_node(dep) && !is_source(dep))
        report(node.after_where[i],
               "node '" + node.name + "' waits for '" + dep + "', which is no node or source",
               did_you_mean(dep, names));
    }
    if (node.source && !is_source(*node.source))
      report(node.where, "node '" + node.name + "' names source '" + *node.source + "', which does not exist",
             did_you_mean(*node.source, sources));
  }

  void check_settings() {
    for (const auto& [name, where] : spec_.settings.node_failure_where)
      if (!is_node(name))
        report(where, "settings.node_failure names '" + name + "', which is no node",
               did_you_mean(name, node_names()));
  }

  void check_sink(const SinkDecl& sink) {
    // auto: decided from the path when the sink opens (video file, image folder, .jsonl, URL).
    static const std::vector<std::string> kinds = {"video", "images", "jsonl", "preview", "stream", "auto"};
    if (std::find(kinds.begin(), kinds.end(), sink.spec.kind) == kinds.end())
      report(sink.where, "sink '" + sink.spec.name + "': unknown kind '" + sink.spec.kind + "'",
             "use video, images, jsonl, preview, stream or auto");
    else if (sink.spec.kind != "preview" && sink.spec.uri.empty())
      report(sink.where, "sink '" + sink.spec.name + "' has no path", "add path: ${output}");
    for (size_t i = 0; i < sink.after.size(); ++i)
      if (!is_node(sink.after[i]))
        report(sink.after_where[i],
               "sink '" + sink.spec.name + "' waits for '" + sink.after[i] + "', which is no node",
               did_you_mean(sink.after[i], node_names()));
    if (sink.source && !is_source(*sink.source))
      report(sink.where,
             "sink '" + sink.spec.name + "' names source '" + *sink.source + "', which does not exist",
             did_you_mean(*sink.source, source_names()));
  }

  static bool writes(const plugin::PluginInfo& info, const std::string& kind) {
    return std::find(info.writes.begin(), info.writes.end(), kind) != info.writes.end();
  }

  void check_metadata_flow(const PipelineGraph& graph) {
    for (size_t n = 0; n < spec_.nodes.size(); ++n) {
      for (const auto& kind : infos_[n].reads) {
        if (kind.empty() || kind.back() == '?') continue;
        bool found = false;
        std::string upstream;
        for (size_t a = 0; a < spec_.nodes.size(); ++a) {
          if (!graph.precedes(int(a), int(n))) continue;
          upstream += (upstream.empty() ? "" : ", ") + spec_.nodes[a].name;
          found = found || writes(infos_[a], kind);
        }
        if (!found)
          report(spec_.nodes[n].plugin_where,
                 "node '" + spec_.nodes[n].name + "' (plugin " + spec_.nodes[n].plugin + ") reads '" + kind +
                     "' but no upstream node writes it" +
                     (upstream.empty() ? "" : " (upstream: " + upstream + ")"),
                 "add a node that writes '" + kind + "' and list it in this node's `after:`");
      }
    }
  }

  void check_image_writers(const PipelineGraph& graph) {
    for (size_t a = 0; a < spec_.nodes.size(); ++a)
      for (size_t b = a + 1; b < spec_.nodes.size(); ++b) {
        if (!writes(infos_[a], "image") || !writes(infos_[b], "image")) continue;
        if (graph.precedes(int(a), int(b)) || graph.precedes(int(b), int(a))) continue;
        bool share_source = false;
        for (size_t s = 0; s < spec_.sources.size(); ++s)
          share_source = share_source || (graph.nodes()[a].active[s] && graph.nodes()[b].active[s]);
        if (share_source)
          report(spec_.nodes[b].where,
                 "nodes '" + spec_.nodes[a].name + "' and '" + spec_.nodes[b].name +
                     "' both write 'image' and run in parallel, so the result would depend on timing",
                 "put one after the other: after: [" + spec_.nodes[a].name + "]");
      }
  }

  void check_sink_sources(const PipelineGraph& graph) {
    for (size_t k = 0; k < spec_.sinks.size(); ++k) {
      const auto& active = graph.sinks()[k].active;
      const auto count = std::count(active.begin(), active.end(), true);
      const auto& kind = spec_.sinks[k].spec.kind;
      if (count > 1 && (kind == "video" || kind == "stream"))
        report(spec_.sinks[k].where,
               "sink '" + spec_.sinks[k].spec.name + "' (" + kind + ") would get frames from " +
                   std::to_string(count) + " sources",
               "name the one it shows with source: NAME");
    }
  }

  PipelineSpec& spec_;
  const NodeCatalog& catalog_;
  std::vector<Problem> problems_;
  std::vector<plugin::PluginInfo> infos_;
  std::vector<nlohmann::json> params_;
};

}  // namespace

std::string Problem::str() const {
  return where.str() + ": " + message + (hint.empty() ? "" : "\n  hint: " + hint);
}

ValidationError::ValidationError(std::vector<Problem> problems)
    : Error(join_problems(problems)), problems_(std::move(problems)) {}

ValidatedPipeline validate(PipelineSpec spec, const NodeCatalog& catalog) {
  return Validator(spec, catalog).run();
}

std::vector<std::string> close_names(const std::string& name, const std::vector<std::string>& candidates) {
  std::vector<std::pair<size_t, std::string>> scored;
  const size_t limit = std::max<size_t>(2, name.size() / 3);
  for (const auto& c : candidates) {
    const size_t d = edit_distance(name, c);
    const bool prefix = !name.empty() && (c.rfind(name, 0) == 0 || name.rfind(c, 0) == 0);
    if (d <= limit || prefix) scored.emplace_back(prefix ? 0 : d, c);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (auto& [d, c] : scored) out.push_back(c);
  return out;
}

}  // namespace neuropipe::pipeline
