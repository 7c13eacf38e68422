#include "neuropipe/pipeline/graph.hpp"

#include <algorithm>
#include <functional>
#include <sstream>

#include "neuropipe/pipeline/validation.hpp"

namespace neuropipe::pipeline {

namespace {

int index_of(const std::vector<std::string>& names, const std::string& name) {
  auto it = std::find(names.begin(), names.end(), name);
  return it == names.end() ? -1 : int(it - names.begin());
}

// A cycle among nodes that Kahn's algorithm could not order, as "a -> b -> a".
std::vector<int> find_cycle(const std::vector<GraphNode>& nodes, const std::vector<bool>& ordered) {
  std::vector<int> state(nodes.size(), 0), path;  // 0 new, 1 on path, 2 done
  std::vector<int> cycle;
  std::function<bool(int)> visit = [&](int n) {
    state[n] = 1;
    path.push_back(n);
    for (int s : nodes[n].succs) {
      if (ordered[s]) continue;
      if (state[s] == 1) {
        cycle.assign(std::find(path.begin(), path.end(), s), path.end());
        cycle.push_back(s);
        return true;
      }
      if (state[s] == 0 && visit(s)) return true;
    }
    path.pop_back();
    state[n] = 2;
    return false;
  };
  for (size_t n = 0; n < nodes.size(); ++n)
    if (!ordered[n] && state[n] == 0 && visit(int(n))) break;
  return cycle;
}

}  // namespace

PipelineGraph PipelineGraph::build(const PipelineSpec& spec) {
  PipelineGraph g;
  for (const auto& s : spec.sources) g.sources_.push_back(s.spec.name);
  std::vector<std::string> node_names;
  for (const auto& n : spec.nodes) node_names.push_back(n.name);
  const size_t num_sources = g.sources_.size();

  for (const auto& decl : spec.nodes) {
    GraphNode node{decl.name, decl.plugin, {}, {}, {}, std::vector<bool>(num_sources, false)};
    for (const auto& dep : decl.after) {
      if (int n = index_of(node_names, dep); n >= 0)
        node.node_preds.push_back(n);
      else if (int s = index_of(g.sources_, dep); s >= 0)
        node.source_preds.push_back(s);
    }
    if (decl.after.empty()) {
      if (decl.source)
        node.source_preds.push_back(index_of(g.sources_, *decl.source));
      else
        for (size_t s = 0; s < num_sources; ++s) node.source_preds.push_back(int(s));
    }
    g.nodes_.push_back(std::move(node));
  }
  for (size_t n = 0; n < g.nodes_.size(); ++n)
    for (int p : g.nodes_[n].node_preds) g.nodes_[p].succs.push_back(int(n));

  // Kahn's algorithm; whatever stays unordered lies on a cycle.
  std::vector<int> indegree(g.nodes_.size());
  for (size_t n = 0; n < g.nodes_.size(); ++n) indegree[n] = int(g.nodes_[n].node_preds.size());
  std::vector<bool> ordered(g.nodes_.size(), false);
  for (bool progress = true; progress;) {
    progress = false;
    for (size_t n = 0; n < g.nodes_.size(); ++n) {
      if (ordered[n] || indegree[n] != 0) continue;
      ordered[n] = progress = true;
      g.order_.push_back(int(n));
      for (int s : g.nodes_[n].succs) --indegree[s];
    }
  }
  if (g.order_.size() != g.nodes_.size()) {
    const auto cycle = find_cycle(g.nodes_, ordered);
    std::string text;
    for (size_t i = 0; i < cycle.size(); ++i) text += (i ? " -> " : "") + g.nodes_[cycle[i]].name;
    const auto& first = spec.nodes[cycle.front()];
    throw ValidationError(
        {Problem{first.after_where.empty() ? first.where : first.after_where.front(),
                 "the nodes form a cycle: " + text, "remove one of these names from an `after:` list"}});
  }

  // Which sources reach each node, in dependency order.
  for (int n : g.order_) {
    auto& node = g.nodes_[n];
    const auto& decl = spec.nodes[n];
    for (int s : node.source_preds) node.active[s] = true;
    for (int p : node.node_preds)
      for (size_t s = 0; s < num_sources; ++s) node.active[s] = node.active[s] || g.nodes_[p].active[s];
    if (decl.source) {
      const int only = index_of(g.sources_, *decl.source);
      for (size_t s = 0; s < num_sources; ++s) node.active[s] = node.active[s] && int(s) == only;
    }
  }

  g.reach_.assign(g.nodes_.size(), std::vector<bool>(g.nodes_.size(), false));
  for (auto it = g.order_.rbegin(); it != g.order_.rend(); ++it)
    for (int s : g.nodes_[*it].succs) {
      g.reach_[*it][s] = true;
      for (size_t k = 0; k < g.nodes_.size(); ++k) g.reach_[*it][k] = g.reach_[*it][k] || g.reach_[s][k];
    }

  for (const auto& decl : spec.sinks) {
    GraphSink sink{decl.spec.name, decl.spec.kind, {}, std::vector<bool>(num_sources, !decl.source)};
    if (decl.source) sink.active[index_of(g.sources_, *decl.source)] = true;
    for (const auto& dep : decl.after)
      if (int n = index_of(node_names, dep); n >= 0) sink.node_preds.push_back(n);
    g.sinks_.push_back(std::move(sink));
  }
  return g;
}

int PipelineGraph::node_index(const std::string& name) const {
  for (size_t i = 0; i < nodes_.size(); ++i)
    if (nodes_[i].name == name) return int(i);
  return -1;
}

int PipelineGraph::source_index(const std::string& name) const { return index_of(sources_, name); }

bool PipelineGraph::precedes(int ancestor, int node) const { return reach_[ancestor][node]; }

std::string PipelineGraph::to_text() const {
  std::ostringstream out;
  out << "sources:\n";
  for (const auto& s : sources_) out << "  " << s << "\n";
  out << "nodes (in dependency order):\n";
  for (int n : order_) {
    const auto& node = nodes_[n];
    out << "  " << node.name << " [" << node.plugin << "] <- ";
    bool first = true;
    for (int s : node.source_preds) out << (std::exchange(first, false) ? "" : ", ") << sources_[s];
    for (int p : node.node_preds) out << (std::exchange(first, false) ? "" : ", ") << nodes_[p].name;
    out << "\n";
  }
  out << "sinks:\n";
  for (const auto& sink : sinks_) {
    out << "  " << sink.name << " [" << sink.kind << "] <- ";
    bool first = true;
    for (size_t s = 0; s < sources_.size(); ++s)
      if (sink.active[s]) out << (std::exchange(first, false) ? "" : ", ") << sources_[s];
    for (int p : sink.node_preds) out << (std::exchange(first, false) ? "" : ", ") << nodes_[p].name;
    out << "\n";
  }
  return out.str();
}

std::string PipelineGraph::to_dot() const {
  auto quoted = [](const std::string& s) { return "\"" + s + "\""; };
  std::ostringstream out;
  out << "digraph pipeline {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n";
  for (const auto& s : sources_)
    out << "  " << quoted("src:" + s) << " [shape=invhouse, label=" << quoted(s) << "];\n";
  for (const auto& n : nodes_)
    out << "  " << quoted("node:" + n.name)
        << " [shape=box, style=rounded, label=" << quoted(n.name + "\\n" + n.plugin) << "];\n";
  for (const auto& k : sinks_)
    out << "  " << quoted("sink:" + k.name) << " [shape=house, label=" << quoted(k.name + "\\n" + k.kind)
        << "];\n";
  for (const auto& n : nodes_) {
    for (int s : n.source_preds)
      out << "  " << quoted("src:" + sources_[s]) << " -> " << quoted("node:" + n.name) << ";\n";
    for (int p : n.node_preds)
      out << "  " << quoted("node:" + nodes_[p].name) << " -> " << quoted("node:" + n.name) << ";\n";
  }
  for (const auto& k : sinks_) {
    if (!k.node_preds.empty())
      for (int p : k.node_preds)
        out << "  " << quoted("node:" + nodes_[p].name) << " -> " << quoted("sink:" + k.name) << ";\n";
    else
      for (size_t s = 0; s < sources_.size(); ++s)
        if (k.active[s])
          out << "  " << quoted("src:" + sources_[s]) << " -> " << quoted("sink:" + k.name)
              << " [style=dashed];\n";
  }
  out << "}\n";
  return out.str();
}

}  // namespace neuropipe::pipeline
