#include "measure.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

#include <time.h>

#include "neuropipe/nn/profiler.hpp"

namespace neuropipe::bench {

namespace {
using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

double process_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) * 1e-6;
}

// This process's own resident high-water mark (VmHWM), 0 when unreadable.
double own_peak_rss_mb() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmHWM:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;  // kB
  return 0.0;
}

struct Timings {
  std::vector<double> latency_ms;  // every run of every stream
  std::vector<double> cpu_ms;      // with one stream: the process's CPU time per run
  double wall_ms = 0.0;
};

// Each stream runs back-to-back inferences on its own thread. With one
// stream the process CPU time of each run is kept too: on a shared machine
// other load stretches wall time but hardly the CPU time a run needs, so at
// one thread its ratios between peers stay comparable when latencies do not.
Timings timed_runs(Peer& peer, const MeasureSpec& spec) {
  Timings out;
  std::vector<std::vector<double>> per_stream(static_cast<size_t>(spec.streams));
  const bool track_cpu = spec.streams == 1;
  const auto t0 = Clock::now();
  auto loop = [&](int k) {
    auto& lat = per_stream[static_cast<size_t>(k)];
    while (static_cast<int>(lat.size()) < spec.min_iterations || ms_since(t0) < spec.min_seconds * 1000.0) {
      const auto t = Clock::now();
      const double cpu0 = track_cpu ? process_cpu_ms() : 0.0;
      peer.run_once(k);
      lat.push_back(ms_since(t));
      if (track_cpu) out.cpu_ms.push_back(process_cpu_ms() - cpu0);
      if (lat.size() >= 2000) break;
    }
  };
  std::vector<std::thread> threads;
  for (int k = 1; k < spec.streams; ++k) threads.emplace_back(loop, k);
  loop(0);
  for (auto& t : threads) t.join();
  out.wall_ms = ms_since(t0);
  for (auto& v : per_stream) out.latency_ms.insert(out.latency_ms.end(), v.begin(), v.end());
  return out;
}
// Runs the peer again with nn::Profiler on, so the timed runs above carry no
// profiling cost; at least 10 runs or half the measuring time.
nlohmann::json profile_runs(Peer& peer, const MeasureSpec& spec, std::string& text) {
  nn::Profiler::reset();
  nn::Profiler::enable(true);
  const auto t0 = Clock::now();
  for (int i = 0; i < 10 || ms_since(t0) < spec.min_seconds * 500.0; ++i) peer.run_once(0);
  nn::Profiler::enable(false);
  const nn::Profiler::Snapshot snap = nn::Profiler::snapshot();
  text = nn::Profiler::report();
  nlohmann::json ops = nlohmann::json::array();
  const double runs = snap.models.empty() ? 1.0 : static_cast<double>(snap.models[0].runs);
  for (const auto& op : snap.ops)
    ops.push_back({{"op_type", op.op_type}, {"ms_per_run", op.total_ms / runs}, {"nodes", op.nodes}});
  nlohmann::json out = {{"ops", ops}};
  if (!snap.models.empty())
    out.update({{"runs", snap.models[0].runs},
                {"ms_per_run", snap.models[0].run_ms / runs},
                {"kernel_ms_per_run", snap.models[0].kernel_ms / runs}});
  return out;
}
}  // namespace

nlohmann::json measure(const MeasureSpec& spec) {
  try {
    PeerConfig cfg{spec.model_path, spec.threads, spec.streams, make_inputs(spec.model_path, spec.shapes, spec.batch)};
    const auto t_load = Clock::now();
    auto peer = make_peer(spec.peer, cfg);
    const double load_ms = ms_since(t_load);
    // Warm-up: first runs allocate, pack and fault in pages.
    const auto t_warm = Clock::now();
    for (int i = 0; i < 3 || (i < 50 && ms_since(t_warm) < 500.0); ++i) peer->run_once(0);
    const Timings t = timed_runs(*peer, spec);
    const auto& lat = t.latency_ms;
    nlohmann::json result = {{"median_ms", percentile(lat, 0.5)},
                             {"p90_ms", percentile(lat, 0.9)},
                             {"throughput_fps", static_cast<double>(lat.size()) * spec.batch / (t.wall_ms / 1000.0)},
                             {"load_ms", load_ms},
                             {"iterations", lat.size()}};
    if (!t.cpu_ms.empty()) result["median_cpu_ms"] = percentile(t.cpu_ms, 0.5);
    if (const double hwm = own_peak_rss_mb(); hwm > 0.0) result["peak_rss_mb"] = hwm;
    if (spec.profile && spec.peer == "neuropipe") {
      std::string text;
      result["profile"] = profile_runs(*peer, spec, text);
      result["profile_text"] = text;
    }
    return result;
  } catch (const std::exception& e) {
    return {{"error", e.what()}};
  }
}

}  // namespace neuropipe::bench
