#include "pipeline/admission_gate.hpp"

#include <algorithm>

namespace neuropipe::pipeline::detail {

void AdmissionGate::take_slot_locked() {
  ++in_flight_;
  peak_.store(std::max(peak_.load(), in_flight_));
}

bool AdmissionGate::reserve() {
  std::unique_lock lock(mutex_);
  slot_freed_.wait(lock, [&] { return closed_ || in_flight_ < limit_; });
  if (closed_) return false;
  take_slot_locked();
  return true;
}

void AdmissionGate::offer_newest(Arrival arrival) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    if (in_flight_ >= limit_) {
      if (waiting_) ++dropped_;
      waiting_ = std::move(arrival);
      return;
    }
    take_slot_locked();
  }
  admit_(std::move(arrival));
}

void AdmissionGate::release() {
  std::optional<Arrival> next;
  {
    std::lock_guard lock(mutex_);
    if (waiting_ && !closed_)
      next.swap(waiting_);  // the slot passes to the waiting frame
    else
      --in_flight_;
  }
  slot_freed_.notify_all();
  if (next) admit_(std::move(*next));
}

void AdmissionGate::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    if (waiting_) ++dropped_;
    waiting_.reset();
  }
  slot_freed_.notify_all();
}

}  // namespace neuropipe::pipeline::detail
