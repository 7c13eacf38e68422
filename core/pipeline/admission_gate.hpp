#pragma once
// Bounds the frames of one source that are in the pipeline at once.
// offline: the reader waits for a free slot (back-pressure, no frame lost).
// live: the reader never waits; when every slot is taken the newest frame is
// kept aside and replaces (drops) the one kept before, so what enters next is
// always the freshest picture and latency stays bounded.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>

#include "neuropipe/frame.hpp"

namespace neuropipe::pipeline::detail {

using SteadyClock = std::chrono::steady_clock;

struct Arrival {
  FramePtr frame;
  SteadyClock::time_point read_at;
};

class AdmissionGate {
 public:
  AdmissionGate(int limit, std::function<void(Arrival)> admit) : limit_(limit), admit_(std::move(admit)) {}

  // offline: blocks until a slot is free; false once closed.
  bool reserve();
  void admit_reserved(Arrival arrival) { admit_(std::move(arrival)); }
  void cancel_reservation() { release(); }

  // live: admit now, or keep as the waiting frame (dropping the previous one).
  void offer_newest(Arrival arrival);

  // A frame left the pipeline: its slot goes to the waiting frame, if any.
  void release();

  // Stop admitting (wakes a waiting reader; drops the waiting frame).
  void close();

  int64_t dropped() const { return dropped_.load(); }
  int peak_in_flight() const { return peak_.load(); }
  // Frames admitted and not yet released (the source's queue depth).
  int in_flight() const {
    std::lock_guard lock(mutex_);
    return in_flight_;
  }

 private:
  void take_slot_locked();

  const int limit_;
  std::function<void(Arrival)> admit_;
  mutable std::mutex mutex_;
  std::condition_variable slot_freed_;
  int in_flight_ = 0;
  bool closed_ = false;
  std::optional<Arrival> waiting_;
  std::atomic<int64_t> dropped_{0};
  std::atomic<int> peak_{0};
};

}  // namespace neuropipe::pipeline::detail
