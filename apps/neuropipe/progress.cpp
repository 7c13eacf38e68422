#include "progress.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>

#include <spdlog/spdlog.h>

namespace neuropipe::cli {

namespace {

constexpr auto tick = std::chrono::milliseconds(100);
constexpr int ticks_per_log_line = 50;  // 5 s between lines when stderr is not a terminal

std::string format_duration(double seconds) {
  const long s = long(seconds + 0.5);
  char text[32];
  if (s >= 3600)
    std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  else
    std::snprintf(text, sizeof text, "%ld:%02ld", s / 60, s % 60);
  return text;
}

}  // namespace

std::string progress_line(const pipeline::Progress& progress) {
  int64_t done = 0, total = 0, dropped = 0, reconnects = 0;
  bool known_total = true, live = false;
  for (const auto& s : progress.sources) {
    done += s.done;
    dropped += s.dropped;
    reconnects += s.reconnects;
    live = live || s.live;
    known_total = known_total && s.total > 0;
    total += std::max<int64_t>(s.total, 0);
  }
  const double fps = progress.elapsed_seconds > 0 ? double(done - dropped) / progress.elapsed_seconds : 0;
  char text[256];
  if (live || !known_total) {
    std::snprintf(text, sizeof text, "%s: %lld frames (%lld dropped, %lld reconnects)  %.1f fps  %s",
                  live ? "live" : "running", static_cast<long long>(done), static_cast<long long>(dropped),
                  static_cast<long long>(reconnects), fps, format_duration(progress.elapsed_seconds).c_str());
    return text;
  }
  const double fraction = total > 0 ? std::min(1.0, double(done) / double(total)) : 0;
  constexpr int width = 30;
  std::string bar(width, ' ');
  const int filled = int(fraction * width);
  for (int i = 0; i < filled; ++i) bar[i] = '=';
  if (filled < width) bar[filled] = '>';
  const double eta = done > 0 ? progress.elapsed_seconds * double(total - done) / double(done) : 0;
  std::snprintf(text, sizeof text, "[%s] %3d%%  %lld/%lld frames  %.1f fps  ETA %s", bar.c_str(),
                int(fraction * 100), static_cast<long long>(done), static_cast<long long>(total), fps,
                done > 0 ? format_duration(eta).c_str() : "?");
  return text;
}

RunMonitor::RunMonitor(pipeline::Runner& runner, const InterruptCounter& interrupts, bool show_progress)
    : runner_(runner), interrupts_(interrupts), show_progress_(show_progress), thread_([this] { watch(); }) {}

RunMonitor::~RunMonitor() {
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  done_changed_.notify_all();
  thread_.join();
  if (drew_line_) std::cerr << "\r\033[K" << std::flush;
}

void RunMonitor::watch() {
  const bool terminal = ::isatty(STDERR_FILENO) != 0;
  std::unique_lock lock(mutex_);
  for (int ticks = 1; !done_changed_.wait_for(lock, tick, [this] { return done_; }); ++ticks) {
    handle_interrupts();
    if (!show_progress_) continue;
    if (terminal && ticks % 2 == 0)
      report(true);
    else if (!terminal && ticks % ticks_per_log_line == 0)
      report(false);
  }
}

void RunMonitor::handle_interrupts() {
  const int count = interrupts_.count();
  if (count == handled_interrupts_) return;
  handled_interrupts_ = count;
  if (count == 1) {
    std::cerr
        << "\ninterrupted: finishing the frames in flight and closing outputs (Ctrl-C again to abort)\n";
    runner_.request_stop();
  } else {
    std::cerr << "\naborting: removing partial outputs\n";
    runner_.abort();
  }
}

void RunMonitor::report(bool terminal) {
  const std::string line = progress_line(runner_.progress());
  if (terminal) {
    std::cerr << "\r\033[K" << line << std::flush;
    drew_line_ = true;
  } else {
    spdlog::info("{}", line);
  }
}

}  // namespace neuropipe::cli
