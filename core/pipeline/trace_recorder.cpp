#include "pipeline/trace_recorder.hpp"

#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "neuropipe/error.hpp"

namespace neuropipe::pipeline::detail {

void TraceRecorder::record(const std::string& node, Clock::time_point start, Clock::time_point end,
                           const std::string& source, int64_t frame, size_t batch) {
  if (!enabled_) return;
  using std::chrono::duration_cast;
  using std::chrono::microseconds;
  Event e{node,
          source,
          duration_cast<microseconds>(start - origin_).count(),
          duration_cast<microseconds>(end - start).count(),
          frame,
          batch,
          std::this_thread::get_id()};
  std::lock_guard lock(mutex_);
  events_.push_back(std::move(e));
}

void TraceRecorder::write(const std::filesystem::path& file) const {
  std::lock_guard lock(mutex_);
  std::map<std::thread::id, int> thread_numbers;  // small stable ids read better than hashes
  nlohmann::json events = nlohmann::json::array();
  for (const auto& e : events_) {
    const int tid = thread_numbers.emplace(e.thread, int(thread_numbers.size()) + 1).first->second;
    nlohmann::json args = {{"frame", e.frame}, {"source", e.source}};
    if (e.batch > 1) args["batch"] = e.batch;
    events.push_back({{"name", e.node},
                      {"cat", "node"},
                      {"ph", "X"},
                      {"ts", e.ts_us},
                      {"dur", e.dur_us},
                      {"pid", 1},
                      {"tid", tid},
                      {"args", args}});
  }
  for (const auto& [id, tid] : thread_numbers)
    events.push_back({{"name", "thread_name"},
                      {"ph", "M"},
                      {"pid", 1},
                      {"tid", tid},
                      {"args", {{"name", "worker " + std::to_string(tid)}}}});
  std::ofstream out(file);
  out << nlohmann::json{{"traceEvents", events}, {"displayTimeUnit", "ms"}}.dump() << "\n";
  if (!out) throw Error("cannot write trace file '" + file.string() + "'");
}

}  // namespace neuropipe::pipeline::detail
