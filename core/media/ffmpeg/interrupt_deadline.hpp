#pragma once
// Network reads and opens must never hang forever. FFmpeg polls an
// AVIOInterruptCB while it blocks; this one aborts the call once a deadline
// set before each blocking operation has passed.
#include <chrono>

extern "C" {
#include <libavformat/avio.h>
}

namespace neuropipe::media::ffmpeg {

class InterruptDeadline {
 public:
  using Clock = std::chrono::steady_clock;

  // timeout <= 0 means "never interrupt" (local files).
  explicit InterruptDeadline(std::chrono::milliseconds timeout) : timeout_(timeout) {}
  InterruptDeadline(const InterruptDeadline&) = delete;
  InterruptDeadline& operator=(const InterruptDeadline&) = delete;

  // Starts the clock for the next blocking FFmpeg call.
  void arm() { deadline_ = Clock::now() + timeout_; }
  // True when the last armed call was (or would now be) interrupted.
  bool expired() const { return timeout_.count() > 0 && Clock::now() > deadline_; }
  std::chrono::milliseconds timeout() const { return timeout_; }

  // The callback to store in AVFormatContext::interrupt_callback; `this`
  // must outlive the context.
  AVIOInterruptCB callback() { return {&InterruptDeadline::poll, this}; }

 private:
  static int poll(void* self) { return static_cast<InterruptDeadline*>(self)->expired() ? 1 : 0; }

  std::chrono::milliseconds timeout_;
  Clock::time_point deadline_ = Clock::time_point::max();
};

}  // namespace neuropipe::media::ffmpeg
