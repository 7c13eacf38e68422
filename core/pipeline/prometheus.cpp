#include "neuropipe/pipeline/prometheus.hpp"

#include <cstdio>
#include <functional>
#include <sstream>

namespace neuropipe::pipeline {

namespace {

// Label values escape backslash, double quote and line feed.
std::string label_value(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == '"') out += '\\';
    out += c == '\n' ? std::string("\\n") : std::string(1, c);
  }
  return out;
}

std::string number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.9g", value);
  return buffer;
}

class Exposition {
 public:
  void family(const std::string& name, const char* type, const char* help) {
    out_ << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n";
  }
  void sample(const std::string& name, const std::string& labels, double value) {
    out_ << name;
    if (!labels.empty()) out_ << "{" << labels << "}";
    out_ << " " << number(value) << "\n";
  }
  std::string text() const { return out_.str(); }

 private:
  std::ostringstream out_;
};

std::string label(const char* key, const std::string& value) {
  return std::string(key) + "=\"" + label_value(value) + "\"";
}

void source_family(Exposition& e, const RunSummary& s, const std::string& name, const char* type,
                   const char* help, const std::function<double(const SourceStats&)>& value) {
  e.family(name, type, help);
  for (const auto& source : s.sources) e.sample(name, label("source", source.name), value(source));
}

void node_family(Exposition& e, const RunSummary& s, const std::string& name, const char* type,
                 const char* help, const std::function<double(const NodeStats&)>& value) {
  e.family(name, type, help);
  for (const auto& node : s.nodes) e.sample(name, label("node", node.name), value(node));
}

void node_latency(Exposition& e, const RunSummary& s) {
  const std::string name = "neuropipe_node_latency_seconds";
  e.family(name, "summary", "Duration of a node's process() / process_batch() calls.");
  for (const auto& node : s.nodes) {
    const std::string n = label("node", node.name);
    e.sample(name, n + ",quantile=\"0.5\"", node.p50_ms / 1000);
    e.sample(name, n + ",quantile=\"0.95\"", node.p95_ms / 1000);
    e.sample(name + "_sum", n, node.latency_sum_ms / 1000);
    e.sample(name + "_count", n, double(node.calls));
  }
}

}  // namespace

std::string prometheus_text(const RunSummary& s) {
  Exposition e;
  e.family("neuropipe_elapsed_seconds", "gauge", "Time since the run started.");
  e.sample("neuropipe_elapsed_seconds", "", s.wall_seconds);
  e.family("neuropipe_fps", "gauge", "Frames written to the sinks per second since the start, all sources.");
  e.sample("neuropipe_fps", "", s.wall_seconds > 0 ? double(s.frames) / s.wall_seconds : 0);
  source_family(e, s, "neuropipe_frames_read_total", "counter", "Frames read from the source.",
                [](const SourceStats& x) { return double(x.frames_read); });
  source_family(e, s, "neuropipe_frames_processed_total", "counter",
                "Frames that went through every node and reached the sinks.",
                [](const SourceStats& x) { return double(x.frames_written); });
  source_family(e, s, "neuropipe_frames_dropped_total", "counter",
                "Live sources: stale frames replaced by newer ones.",
                [](const SourceStats& x) { return double(x.frames_dropped); });
  source_family(e, s, "neuropipe_frames_failed_total", "counter",
                "Frames a node failed on (skipped) or that the run stopped.",
                [](const SourceStats& x) { return double(x.frames_failed); });
  source_family(e, s, "neuropipe_reconnects_total", "counter", "Live sources: reconnections after a loss.",
                [](const SourceStats& x) { return double(x.reconnects); });
  source_family(e, s, "neuropipe_queue_depth", "gauge", "Frames of the source in the pipeline now.",
                [](const SourceStats& x) { return double(x.in_flight); });
  source_family(e, s, "neuropipe_source_latency_p50_seconds", "gauge", "Median time from read to the sinks.",
                [](const SourceStats& x) { return x.latency_p50_ms / 1000; });
  node_family(e, s, "neuropipe_node_calls_total", "counter", "process() / process_batch() calls.",
              [](const NodeStats& x) { return double(x.calls); });
  node_family(e, s, "neuropipe_node_frames_total", "counter", "Frames the node processed.",
              [](const NodeStats& x) { return double(x.frames); });
  node_family(e, s, "neuropipe_node_errors_total", "counter", "Calls that threw.",
              [](const NodeStats& x) { return double(x.errors); });
  node_family(e, s, "neuropipe_node_skipped_total", "counter",
              "Frames passed on untouched (failed earlier, node disabled).",
              [](const NodeStats& x) { return double(x.skipped); });
  node_family(e, s, "neuropipe_node_queue_wait_seconds", "gauge",
              "Mean time between a frame's inputs being ready and the call starting.",
              [](const NodeStats& x) { return x.queue_wait_ms / 1000; });
  node_family(e, s, "neuropipe_node_disabled", "gauge", "1 when the node was switched off after failures.",
              [](const NodeStats& x) { return x.disabled ? 1.0 : 0.0; });
  node_latency(e, s);
  return e.text();
}

}  // namespace neuropipe::pipeline
