#pragma once
// Watches a running pipeline from a side thread: draws a progress bar with
// ETA (files, folders) or a live status line (streams) on stderr when it is
// a terminal, else logs a line every few seconds; turns Ctrl-C into
// request_stop() (first) and abort() (second).
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "interrupt.hpp"
#include "neuropipe/pipeline/runner.hpp"

namespace neuropipe::cli {

class RunMonitor {
 public:
  RunMonitor(pipeline::Runner& runner, const InterruptCounter& interrupts, bool show_progress);
  ~RunMonitor();  // stops the thread and clears the progress line
  RunMonitor(const RunMonitor&) = delete;
  RunMonitor& operator=(const RunMonitor&) = delete;

 private:
  void watch();
  void handle_interrupts();
  void report(bool terminal);

  pipeline::Runner& runner_;
  const InterruptCounter& interrupts_;
  const bool show_progress_;
  int handled_interrupts_ = 0;
  bool drew_line_ = false;
  std::mutex mutex_;
  std::condition_variable done_changed_;
  bool done_ = false;
  std::thread thread_;
};

// "[=====>     ]  45%  123/300 frames  52.1 fps  ETA 0:03" or
// "live cam: 1234 frames (45 dropped, 2 reconnects)  25.0 fps".
std::string progress_line(const pipeline::Progress& progress);

}  // namespace neuropipe::cli
