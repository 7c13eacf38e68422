#include "pipeline/batcher.hpp"

namespace neuropipe::pipeline::detail {

Batcher::Batcher(tbb::flow::graph& graph, size_t batch_size, std::chrono::milliseconds timeout,
                 size_t concurrency, std::function<void(const Batch&)> run_batch)
    : graph_(graph),
      batch_size_(batch_size),
      timeout_(timeout),
      runner_(graph, concurrency,
              [run = std::move(run_batch)](const Batch& b) {
                run(b);
                return tbb::flow::continue_msg();
              }),
      timer_([this] { flush_on_timeout(); }) {}

Batcher::~Batcher() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  timer_.join();
}

void Batcher::add(JobPtr job) {
  Batch full;
  {
    std::lock_guard lock(mutex_);
    if (buffer_.empty()) {
      graph_.reserve_wait();
      deadline_ = std::chrono::steady_clock::now() + timeout_;
    }
    buffer_.push_back(std::move(job));
    if (buffer_.size() < batch_size_) {
      changed_.notify_all();
      return;
    }
    full.swap(buffer_);
  }
  runner_.try_put(full);
  graph_.release_wait();
}

void Batcher::flush_on_timeout() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (buffer_.empty()) {
      changed_.wait(lock);
      continue;
    }
    if (std::chrono::steady_clock::now() < deadline_) {
      changed_.wait_until(lock, deadline_);
      continue;
    }
    Batch partial;
    partial.swap(buffer_);
    lock.unlock();
    runner_.try_put(partial);
    graph_.release_wait();
    lock.lock();
  }
}

}  // namespace neuropipe::pipeline::detail
