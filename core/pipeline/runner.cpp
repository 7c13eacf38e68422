#include "neuropipe/pipeline/runner.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <oneapi/tbb/flow_graph.h>
#include <spdlog/spdlog.h>

#include "neuropipe/nn/model.hpp"
#include "pipeline/admission_gate.hpp"
#include "pipeline/batcher.hpp"
#include "pipeline/frame_job.hpp"
#include "pipeline/node_metrics.hpp"
#include "pipeline/trace_recorder.hpp"

namespace neuropipe::pipeline {

namespace {

using detail::AdmissionGate;
using detail::Arrival;
using detail::Batch;
using detail::Batcher;
using detail::JobPtr;
using Clock = std::chrono::steady_clock;
using tbb::flow::continue_msg;
using JobNode = tbb::flow::function_node<JobPtr, continue_msg>;
using JobSequencer = tbb::flow::sequencer_node<JobPtr>;

double ms_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

// Plugin errors already name their node; errors from elsewhere get the name added.
std::string name_node(const std::string& node, const std::string& message) {
  if (message.find("'" + node + "'") != std::string::npos) return message;
  return "node '" + node + "': " + message;
}

struct SourceRuntime {
  SourceDecl decl;
  std::unique_ptr<media::Source> source;
  media::SourceInfo info;
  std::vector<bool> node_active;
  std::vector<int> pending_init;  // per node: active predecessors for this source's frames
  std::vector<int> roots;         // active nodes with no active predecessor
  int active_count = 0;
  std::vector<int> sinks;
  std::unique_ptr<AdmissionGate> gate;
  std::atomic<int64_t> next_seq{0}, frames_read{0}, written{0}, failed{0}, reconnects{0};
  mutable std::mutex latency_mutex;
  std::vector<float> latency_ms;
  std::vector<std::string> problems;  // written by this source's reader thread only
};

struct NodeRuntime {
  std::unique_ptr<plugin::NodeInstance> owned;  // null when borrowed from a NodeSet
  plugin::NodeInstance* instance = nullptr;
  FailureSettings failure;
  bool concurrent = false, ordered = false;
  int batch_size = 1, batch_timeout_ms = 20;
  detail::NodeMetrics metrics;
  std::atomic<bool> disabled{false};
};

struct SinkRuntime {
  media::SinkSpec spec;
  std::unique_ptr<media::Sink> sink;
  std::mutex mutex;  // sinks fed by several sources get one frame at a time
};

// The flow-graph nodes of one run; destroyed before the graph.
struct Wiring {
  std::vector<std::unique_ptr<JobNode>> node_fn;
  std::vector<std::vector<std::unique_ptr<JobSequencer>>> node_order;  // ordered nodes: per source
  std::vector<std::unique_ptr<Batcher>> batchers;
  std::vector<std::unique_ptr<JobSequencer>> sink_order;  // per source
  std::vector<std::unique_ptr<JobNode>> deliver;          // per source
};

}  // namespace

struct Runner::Impl {
  Impl(ValidatedPipeline pipeline, const NodeCatalog& catalog, RunOptions opts)
      : p(std::move(pipeline)), options(std::move(opts)), trace(!options.trace_file.empty()) {
    open_sources();
    create_nodes(catalog);
    plan_sources();
    open_sinks();
  }

  // ---- preparation (everything that can fail before the first frame) ----

  void open_sources() {
    for (const auto& decl : p.spec.sources) {
      auto rt = std::make_unique<SourceRuntime>();
      rt->decl = decl;
      if (options.clock) rt->decl.clock = *options.clock;
      try {
        rt->source = options.media.open_source(decl.spec);
      } catch (const std::exception& e) {
        throw Error(decl.uri_where.str() + ": source '" + decl.spec.name + "' cannot be opened: " + e.what());
      }
      rt->info = rt->source->info();
      infos.push_back(rt->info);
      const int limit = options.max_in_flight.value_or(p.spec.settings.max_in_flight);
      const int index = int(sources.size());
      rt->gate =
          std::make_unique<AdmissionGate>(limit, [this, index](Arrival a) { admit(index, std::move(a)); });
      sources.push_back(std::move(rt));
    }
  }

  // Borrowed from options.shared_nodes when it holds this node as configured
  // here, else made for this run.
  void create_nodes(const NodeCatalog& catalog) {
    for (size_t n = 0; n < p.spec.nodes.size(); ++n) {
      const auto& decl = p.spec.nodes[n];
      auto rt = std::make_unique<NodeRuntime>();
      if (options.shared_nodes) rt->instance = options.shared_nodes->find(decl.name, decl.plugin, p.params[n]);
      if (!rt->instance) {
        rt->owned = create_node(p, n, catalog);
        rt->instance = rt->owned.get();
      }
      rt->failure = p.spec.failure_of(decl.name);
      rt->ordered = p.plugins[n].ordered;
      // `ordered` promises one frame at a time, in order: on a concurrent
      // pool a later frame could overtake an earlier one inside process().
      rt->concurrent = p.plugins[n].concurrent && !rt->ordered;
      rt->batch_size = decl.batch_size;
      rt->batch_timeout_ms = decl.batch_timeout_ms;
      nodes.push_back(std::move(rt));
    }
  }

  void plan_sources() {
    const auto& gnodes = p.graph.nodes();
    for (size_t s = 0; s < sources.size(); ++s) {
      auto& src = *sources[s];
      src.pending_init.assign(gnodes.size(), 0);
      for (size_t n = 0; n < gnodes.size(); ++n) {
        src.node_active.push_back(gnodes[n].active[s]);
        if (!gnodes[n].active[s]) continue;
        ++src.active_count;
        for (int pred : gnodes[n].node_preds) src.pending_init[n] += gnodes[pred].active[s] ? 1 : 0;
        if (src.pending_init[n] == 0) src.roots.push_back(int(n));
      }
      for (size_t k = 0; k < p.graph.sinks().size(); ++k)
        if (p.graph.sinks()[k].active[s]) src.sinks.push_back(int(k));
    }
  }

  void open_sinks() {
    for (size_t k = 0; k < p.spec.sinks.size(); ++k) {
      const auto& decl = p.spec.sinks[k];
      const auto& active = p.graph.sinks()[k].active;
      const auto first = std::find(active.begin(), active.end(), true);
      const media::SourceInfo& input = first == active.end() ? infos.front() : infos[first - active.begin()];
      auto rt = std::make_unique<SinkRuntime>();
      rt->spec = decl.spec;
      try {
        rt->sink = options.media.open_sink(decl.spec, input);
      } catch (const std::exception& e) {
        abort_sinks();
        throw Error(decl.where.str() + ": sink '" + decl.spec.name + "' cannot be opened: " + e.what());
      }
      sinks.push_back(std::move(rt));
    }
  }

  // ---- running ----

  RunSummary run() {
    started_ticks = Clock::now().time_since_epoch().count();
    nn::Engine::execute([this] { run_graph(); });
    finish_nodes();
    finish_sinks();
    if (trace.enabled()) {
      try {
        trace.write(options.trace_file);
      } catch (const std::exception& e) {
        spdlog::error("{}", e.what());
      }
    }
    return summary();
  }

  void run_graph() {
    tbb::flow::graph graph;
    Wiring w;
    wire(graph, w);
    wiring = &w;
    std::vector<std::thread> readers;
    for (size_t s = 0; s < sources.size(); ++s) {
      graph.reserve_wait();  // the graph stays open while a reader may still put frames
      readers.emplace_back([this, s, &graph] {
        read_loop(int(s));
        graph.release_wait();
      });
    }
    graph.wait_for_all();
    for (auto& t : readers) t.join();
    w.batchers.clear();
    wiring = nullptr;
  }

  void wire(tbb::flow::graph& graph, Wiring& w) {
    for (size_t n = 0; n < nodes.size(); ++n) {
      auto& node = *nodes[n];
      const size_t concurrency = node.concurrent ? tbb::flow::unlimited : tbb::flow::serial;
      w.node_fn.push_back(std::make_unique<JobNode>(graph, concurrency, [this, n](const JobPtr& job) {
        run_node(int(n), job);
        return continue_msg();
      }));
      w.node_order.emplace_back();
      if (node.ordered && node.batch_size == 1)
        for (size_t s = 0; s < sources.size(); ++s) {
          w.node_order[n].push_back(
              std::make_unique<JobSequencer>(graph, [](const JobPtr& job) { return size_t(job->seq); }));
          tbb::flow::make_edge(*w.node_order[n].back(), *w.node_fn[n]);
        }
      w.batchers.push_back(node.batch_size > 1
                               ? std::make_unique<Batcher>(
                                     graph, node.batch_size, std::chrono::milliseconds(node.batch_timeout_ms),
                                     concurrency, [this, n](const Batch& b) { run_batch(int(n), b); })
                               : nullptr);
    }
    for (size_t s = 0; s < sources.size(); ++s) {
      w.sink_order.push_back(
          std::make_unique<JobSequencer>(graph, [](const JobPtr& job) { return size_t(job->seq); }));
      w.deliver.push_back(std::make_unique<JobNode>(graph, tbb::flow::serial, [this, s](const JobPtr& job) {
        deliver(int(s), job);
        return continue_msg();
      }));
      tbb::flow::make_edge(*w.sink_order[s], *w.deliver[s]);
    }
  }

  void read_loop(int s) {
    auto& src = *sources[s];
    const bool live = src.decl.clock == ClockMode::live;
    while (!stop) {
      if (!live && !src.gate->reserve()) break;
      FramePtr frame;
      try {
        frame = src.source->read();
      } catch (const media::StreamLost& e) {
        if (!live) src.gate->cancel_reservation();
        if (reconnect(src, e.what())) continue;
        break;
      } catch (const std::exception& e) {
        if (!live) src.gate->cancel_reservation();
        fail("source '" + src.decl.spec.name + "': " + e.what());
        break;
      }
      if (!frame) {
        if (!live) src.gate->cancel_reservation();
        break;
      }
      ++src.frames_read;
      if (live)
        src.gate->offer_newest({std::move(frame), Clock::now()});
      else
        src.gate->admit_reserved({std::move(frame), Clock::now()});
    }
  }

  // Exponential back-off (0.1 s doubling to 5 s) until the stream is back or
  // reconnect_timeout_ms passed.
  bool reconnect(SourceRuntime& src, const std::string& why) {
    spdlog::warn("source '{}' lost: {}; reconnecting", src.decl.spec.name, why);
    const auto give_up = Clock::now() + std::chrono::milliseconds(src.decl.reconnect_timeout_ms);
    auto delay = std::chrono::milliseconds(100);
    while (!stop) {
      {
        std::unique_lock lock(stop_mutex);
        stop_changed.wait_for(lock, delay, [this] { return stop.load(); });
      }
      if (stop) return false;
      try {
        src.source->reopen();
        ++src.reconnects;
        spdlog::info("source '{}' reconnected", src.decl.spec.name);
        return true;
      } catch (const std::exception& e) {
        if (Clock::now() >= give_up) {
          src.problems.push_back("gave up reconnecting after " +
                                 std::to_string(src.decl.reconnect_timeout_ms) + " ms: " + e.what());
          spdlog::error("source '{}': {}", src.decl.spec.name, src.problems.back());
          return false;
        }
        delay = std::min(delay * 2, std::chrono::milliseconds(5000));
      }
    }
    return false;
  }

  void admit(int s, Arrival arrival) {
    auto& src = *sources[s];
    arrival.frame->origin().stream_id = s;
    if (arrival.frame->origin().source.empty()) arrival.frame->origin().source = src.decl.spec.name;
    auto job = std::make_shared<detail::FrameJob>(std::move(arrival.frame), s, src.next_seq++,
                                                  arrival.read_at, nodes.size());
    for (size_t n = 0; n < nodes.size(); ++n) job->pending[n] = src.pending_init[n];
    job->nodes_left = src.active_count;
    if (aborting) job->failed = true;
    if (src.active_count == 0) {
      wiring->sink_order[s]->try_put(job);
      return;
    }
    const auto now = Clock::now();
    for (int r : src.roots) job->ready[r] = now;
    for (int r : src.roots) dispatch(r, job);
  }

  void dispatch(int n, const JobPtr& job) {
    if (nodes[n]->batch_size > 1)
      wiring->batchers[n]->add(job);
    else if (!wiring->node_order[n].empty())
      wiring->node_order[n][job->source]->try_put(job);
    else
      wiring->node_fn[n]->try_put(job);
  }

  bool should_skip(const NodeRuntime& node, const detail::FrameJob& job) const {
    return job.failed || node.disabled || aborting;
  }

  void run_node(int n, const JobPtr& job) {
    auto& node = *nodes[n];
    if (should_skip(node, *job)) {
      node.metrics.count_skipped();
    } else {
      const auto start = Clock::now();
      try {
        node.instance->process(*job->frame);
      } catch (const std::exception& e) {
        on_failure(n, *job, e.what());
      }
      const auto end = Clock::now();
      node.metrics.record_call(ms_between(start, end), ms_between(job->ready[n], start), 1);
      trace.record(p.spec.nodes[n].name, start, end, sources[job->source]->decl.spec.name,
                   job->frame->origin().index, 1);
    }
    node_done(n, job);
  }

  void run_batch(int n, const Batch& batch) {
    auto& node = *nodes[n];
    std::vector<Frame*> frames;
    for (const auto& job : batch) {
      if (should_skip(node, *job))
        node.metrics.count_skipped();
      else
        frames.push_back(job->frame.get());
    }
    if (!frames.empty()) {
      const auto start = Clock::now();
      try {
        node.instance->process_batch(std::span<Frame* const>(frames.data(), frames.size()));
      } catch (const std::exception& e) {
        for (const auto& job : batch)
          if (!job->failed) on_failure(n, *job, e.what());
      }
      const auto end = Clock::now();
      node.metrics.record_call(ms_between(start, end), ms_between(batch.front()->ready[n], start),
                               frames.size());
      trace.record(p.spec.nodes[n].name, start, end, sources[batch.front()->source]->decl.spec.name,
                   batch.front()->frame->origin().index, frames.size());
    }
    for (const auto& job : batch) node_done(n, job);
  }

  void on_failure(int n, detail::FrameJob& job, const std::string& message) {
    auto& node = *nodes[n];
    const auto& name = p.spec.nodes[n].name;
    job.failed = true;
    node.metrics.count_error();
    const std::string what = name_node(name, message) + " (frame " +
                             std::to_string(job.frame->origin().index) + " of source '" +
                             sources[job.source]->decl.spec.name + "')";
    spdlog::warn("{}", what);
    switch (node.failure.policy) {
      case plugin::FailurePolicy::skip_frame:
        break;
      case plugin::FailurePolicy::disable_node:
        if (node.metrics.errors() >= uint64_t(node.failure.max_failures) && !node.disabled.exchange(true))
          spdlog::error("node '{}' disabled after {} failures; later frames pass it untouched", name,
                        node.metrics.errors());
        break;
      case plugin::FailurePolicy::stop_pipeline:
        fail(what);
        break;
    }
  }

  void node_done(int n, const JobPtr& job) {
    const auto& src = *sources[job->source];
    for (int next : p.graph.nodes()[n].succs) {
      if (!src.node_active[next] || job->pending[next].fetch_sub(1) != 1) continue;
      job->ready[next] = Clock::now();
      dispatch(next, job);
    }
    if (job->nodes_left.fetch_sub(1) == 1) wiring->sink_order[job->source]->try_put(job);
  }

  void deliver(int s, const JobPtr& job) {
    auto& src = *sources[s];
    bool ok = !job->failed && !failed && !aborting;
    for (int k : src.sinks) {
      if (!ok) break;
      auto& sink = *sinks[k];
      std::lock_guard lock(sink.mutex);
      const auto start = Clock::now();
      try {
        sink.sink->write(*job->frame);
      } catch (const std::exception& e) {
        fail("sink '" + sink.spec.name + "': " + e.what());
        ok = false;
      }
      trace.record("sink " + sink.spec.name, start, Clock::now(), src.decl.spec.name,
                   job->frame->origin().index, 1);
    }
    if (ok) {
      ++src.written;
      std::lock_guard lock(src.latency_mutex);
      src.latency_ms.push_back(float(ms_between(job->read_at, Clock::now())));
    } else {
      ++src.failed;
    }
    src.gate->release();
  }

  // ---- ending ----

  void finish_nodes() {
    if (aborting) return;
    for (size_t n = 0; n < nodes.size(); ++n) {
      try {
        nodes[n]->instance->finish();
      } catch (const std::exception& e) {
        nodes[n]->metrics.count_error();
        spdlog::error("{}", name_node(p.spec.nodes[n].name, e.what()));
      }
    }
  }

  void finish_sinks() {
    if (failed || aborting) {
      abort_sinks();
      return;
    }
    for (auto& sink : sinks) {
      try {
        sink->sink->close();
      } catch (const std::exception& e) {
        fail("sink '" + sink->spec.name + "': " + e.what());
        abort_sinks();
        return;
      }
    }
  }

  void abort_sinks() {
    for (auto& sink : sinks) {
      try {
        sink->sink->abort();
      } catch (const std::exception& e) {
        spdlog::error("sink '{}': {}", sink->spec.name, e.what());
      }
    }
  }

  void fail(const std::string& message) {
    {
      std::lock_guard lock(error_mutex);
      if (failed) return;
      failed = true;
      error = message;
    }
    spdlog::error("stopping the pipeline: {}", message);
    request_stop();
  }

  void request_stop() {
    {
      std::lock_guard lock(stop_mutex);
      stop = true;
    }
    stop_changed.notify_all();
    for (auto& src : sources) src->gate->close();
  }

  // While running (`live`), values other threads write are read under their
  // locks and the sources' problem lists (written by the readers) are left out.
  RunSummary summary(bool live = false) const {
    RunSummary out;
    out.wall_seconds = elapsed_seconds();
    out.outcome = aborting ? Outcome::aborted
                  : failed ? Outcome::failed
                  : stop   ? Outcome::stopped
                           : Outcome::completed;
    {
      std::lock_guard lock(error_mutex);
      out.error = error;
    }
    for (const auto& src : sources) {
      SourceStats s;
      s.name = src->decl.spec.name;
      s.live = src->decl.clock == ClockMode::live;
      s.frames_read = src->frames_read;
      s.frames_written = src->written;
      s.frames_dropped = src->gate->dropped();
      s.frames_failed = src->failed;
      s.reconnects = src->reconnects;
      s.in_flight = src->gate->in_flight();
      std::vector<float> latency_ms;
      {
        std::lock_guard lock(src->latency_mutex);
        latency_ms = src->latency_ms;
      }
      s.latency_p50_ms = detail::percentile(latency_ms, 0.5);
      s.latency_max_ms = latency_ms.empty() ? 0 : *std::max_element(latency_ms.begin(), latency_ms.end());
      if (!live) {
        s.problems = src->source->errors();
        s.problems.insert(s.problems.end(), src->problems.begin(), src->problems.end());
      }
      out.frames += s.frames_written;
      out.sources.push_back(std::move(s));
    }
    for (size_t n = 0; n < nodes.size(); ++n)
      out.nodes.push_back(nodes[n]->metrics.snapshot(p.spec.nodes[n].name, nodes[n]->disabled));
    out.fps = out.wall_seconds > 0 ? double(out.frames) / out.wall_seconds : 0;
    return out;
  }

  double elapsed_seconds() const {
    const Clock::rep ticks = started_ticks;
    if (ticks == 0) return 0;
    return std::chrono::duration<double>(Clock::now() - Clock::time_point(Clock::duration(ticks))).count();
  }

  Progress progress() const {
    Progress out;
    out.elapsed_seconds = elapsed_seconds();
    for (const auto& src : sources) {
      Progress::Source s;
      s.name = src->decl.spec.name;
      s.live = src->decl.clock == ClockMode::live;
      s.dropped = src->gate->dropped();
      s.done = src->written + src->failed + s.dropped;
      s.total = src->info.frame_count;
      s.reconnects = src->reconnects;
      out.sources.push_back(s);
    }
    return out;
  }

  ValidatedPipeline p;
  RunOptions options;
  detail::TraceRecorder trace;
  std::vector<std::unique_ptr<SourceRuntime>> sources;
  std::vector<std::unique_ptr<NodeRuntime>> nodes;
  std::vector<std::unique_ptr<SinkRuntime>> sinks;
  std::vector<media::SourceInfo> infos;
  std::atomic<bool> stop{false}, aborting{false}, failed{false};
  mutable std::mutex error_mutex;
  std::string error;
  std::mutex stop_mutex;
  std::condition_variable stop_changed;
  std::atomic<Clock::rep> started_ticks{0};  // read by progress() from another thread
  Wiring* wiring = nullptr;
};

Runner::Runner(ValidatedPipeline pipeline, const NodeCatalog& catalog, RunOptions options)
    : impl_(std::make_unique<Impl>(std::move(pipeline), catalog, std::move(options))) {}

Runner::~Runner() = default;

RunSummary Runner::run() { return impl_->run(); }

void Runner::request_stop() { impl_->request_stop(); }

void Runner::abort() {
  impl_->aborting = true;
  impl_->request_stop();
}

Progress Runner::progress() const { return impl_->progress(); }

RunSummary Runner::live_summary() const { return impl_->summary(/*live=*/true); }

const std::vector<media::SourceInfo>& Runner::source_infos() const { return impl_->infos; }

}  // namespace neuropipe::pipeline
