#pragma once
// A run's counters in the Prometheus text exposition format (version 0.0.4),
// what `neuropipe run --metrics PORT` serves: frames per source (read,
// written, dropped, failed), reconnects, queue depth, fps, and per node
// calls, frames, errors, skipped frames and a call-latency summary.
#include <string>

#include "neuropipe/pipeline/stats.hpp"

namespace neuropipe::pipeline {

// Every metric is named neuropipe_*; labels are `source` and `node`.
std::string prometheus_text(const RunSummary& summary);

}  // namespace neuropipe::pipeline
