// nn::Profiler: process-wide accumulation of per-node kernel times, fed by
// GraphRun (record_profile) once per profiled run.
#include "neuropipe/nn/profiler.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iomanip>
#include <map>
#include <mutex>
#include <sstream>

#include "nn/runtime/profile_recorder.hpp"

namespace neuropipe::nn {

namespace {

struct NodeStats {
  std::string node, op_type;
  double total_ms = 0.0;
  uint64_t calls = 0;
};

struct ModelStats {
  uint64_t runs = 0;
  double run_ms = 0.0, kernel_ms = 0.0;
  std::map<std::string, NodeStats> nodes;  // by node label
};

bool env_requests_profiling() {
  const char* env = std::getenv("NEUROPIPE_PROFILE");
  return env && *env && std::strcmp(env, "0") != 0;
}

void print_at_exit() { std::fputs(Profiler::report().c_str(), stderr); }

struct State {
  std::mutex mutex;
  std::map<std::string, ModelStats> models;
  std::atomic<bool> on{false};
  State() {
    if (env_requests_profiling()) {
      on = true;
      std::atexit(print_at_exit);  // registered after State exists, so it runs before State is destroyed
    }
  }
};

State& state() {
  static State s;
  return s;
}

std::string node_label(const Graph& graph, size_t index, bool top_level) {
  const Node& n = graph.nodes[index];
  std::string label = n.name.empty() ? "#" + std::to_string(index) : n.name;
  return top_level ? label : graph.name + "/" + label;
}

std::string fixed(double v, int precision) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(precision) << v;
  return s.str();
}

}  // namespace

void record_profile(const std::string& model, const Graph& graph, const std::vector<double>& node_ms,
                    double run_ms, bool top_level) {
  State& s = state();
  std::lock_guard lock(s.mutex);
  ModelStats& m = s.models[model];
  if (top_level) {
    m.runs++;
    m.run_ms += run_ms;
  }
  for (size_t i = 0; i < node_ms.size() && i < graph.nodes.size(); ++i) {
    NodeStats& n = m.nodes[node_label(graph, i, top_level)];
    if (n.calls == 0) {
      n.node = node_label(graph, i, top_level);
      n.op_type = graph.nodes[i].op_type;
    }
    n.total_ms += node_ms[i];
    n.calls++;
    if (top_level) m.kernel_ms += node_ms[i];  // nested runs are inside their parent node's time
  }
}

bool Profiler::enabled() { return state().on.load(std::memory_order_relaxed); }
void Profiler::enable(bool on) { state().on = on; }

void Profiler::reset() {
  State& s = state();
  std::lock_guard lock(s.mutex);
  s.models.clear();
}

Profiler::Snapshot Profiler::snapshot() {
  State& s = state();
  std::lock_guard lock(s.mutex);
  Snapshot snap;
  for (const auto& [model, stats] : s.models) {
    snap.models.push_back({model, stats.runs, stats.run_ms, stats.kernel_ms});
    std::map<std::string, OpTime> ops;
    for (const auto& [label, n] : stats.nodes) {
      snap.nodes.push_back({model, n.node, n.op_type, n.total_ms, n.calls});
      OpTime& op = ops[n.op_type];
      op.model = model;
      op.op_type = n.op_type;
      op.total_ms += n.total_ms;
      op.calls += n.calls;
      op.nodes++;
    }
    for (auto& [name, op] : ops) snap.ops.push_back(std::move(op));
  }
  auto by_time = [](const auto& a, const auto& b) { return a.total_ms > b.total_ms; };
  std::stable_sort(snap.ops.begin(), snap.ops.end(), by_time);
  std::stable_sort(snap.nodes.begin(), snap.nodes.end(), by_time);
  return snap;
}

std::string Profiler::report(size_t top_nodes) {
  const Snapshot snap = snapshot();
  std::ostringstream out;
  for (const ModelTime& m : snap.models) {
    if (m.runs == 0) continue;
    const double runs = static_cast<double>(m.runs);
    out << "profile: " << m.model << ": " << m.runs << " runs, " << fixed(m.run_ms / runs, 3) << " ms/run, "
        << fixed(m.kernel_ms / runs, 3) << " ms/run in kernels, " << fixed((m.run_ms - m.kernel_ms) / runs, 3)
        << " ms/run executor overhead\n";
    out << "  " << std::left << std::setw(26) << "op type" << std::right << std::setw(11) << "ms/run" << std::setw(8)
        << "%" << std::setw(8) << "nodes" << std::setw(12) << "us/call" << "\n";
    for (const OpTime& op : snap.ops) {
      if (op.model != m.model) continue;
      out << "  " << std::left << std::setw(26) << op.op_type << std::right << std::setw(11)
          << fixed(op.total_ms / runs, 3) << std::setw(8) << fixed(100.0 * op.total_ms / m.run_ms, 1)
          << std::setw(8) << op.nodes << std::setw(12) << fixed(1000.0 * op.total_ms / op.calls, 1) << "\n";
    }
    out << "  slowest nodes:\n";
    size_t shown = 0;
    for (const NodeTime& n : snap.nodes) {
      if (n.model != m.model || shown++ >= top_nodes) continue;
      out << "  " << std::left << std::setw(40) << n.node.substr(0, 39) << std::setw(22) << n.op_type << std::right
          << std::setw(11) << fixed(n.total_ms / runs, 3) << std::setw(8)
          << fixed(100.0 * n.total_ms / m.run_ms, 1) << "\n";
    }
  }
  return out.str();
}

}  // namespace neuropipe::nn
