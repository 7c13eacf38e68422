#pragma once
// A pool of Sessions over one shared Model, for plugins whose process() runs
// on several threads at once: each call borrows a Session (its own arena) and
// gives it back, so at most as many Sessions exist as calls ran concurrently.
//
//   nn::SessionPool pool(model);
//   auto outputs = pool.run({{"data", tensor}});
#include <memory>
#include <mutex>
#include <vector>

#include "neuropipe/nn/model.hpp"

namespace neuropipe::nn {

class SessionPool {
 public:
  explicit SessionPool(std::shared_ptr<const Model> model) : model_(std::move(model)) {}

  const Model& model() const { return *model_; }

  NamedTensors run(const NamedTensors& inputs, const RunOptions& options = {}) {
    std::unique_ptr<Session> session = acquire();
    NamedTensors out = session->run(inputs, options);
    release(std::move(session));
    return out;
  }

 private:
  std::unique_ptr<Session> acquire() {
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        auto s = std::move(idle_.back());
        idle_.pop_back();
        return s;
      }
    }
    return std::make_unique<Session>(model_);
  }
  void release(std::unique_ptr<Session> s) {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(s));
  }

  std::shared_ptr<const Model> model_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Session>> idle_;
};

}  // namespace neuropipe::nn
