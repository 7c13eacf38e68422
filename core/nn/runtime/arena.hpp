#pragma once
// Per-Session memory for intermediate tensors. Values take a block when
// produced and give it back after their last reader (liveness from the
// planner); a request takes the smallest free block that fits (best fit), or
// a new one. The blocks a run ended with are remembered per input-shape
// signature (the memory plan), so the next run with those shapes starts with
// every block already allocated and makes no heap allocation.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace neuropipe::nn {

class Arena {
 public:
  struct Allocation {
    void* data = nullptr;
    int block = -1;
  };

  // Starts a run for one input-shape signature (restores its plan if known).
  void begin_run(const std::string& signature);
  // Records the blocks of this run as the signature's plan.
  void end_run();

  Allocation allocate(size_t bytes);
  void retain(int block) { blocks_[block].refs++; }
  void release(int block);
  // Block holding `ptr`, or -1 (views of user inputs, constants, heap tensors).
  int block_containing(const void* ptr) const;
  // Bytes held by all blocks: the run's planned footprint.
  uint64_t footprint_bytes() const;
  // Bytes requested during the current run, as if nothing were reused.
  uint64_t requested_bytes() const { return requested_bytes_; }
  size_t plan_count() const { return plans_.size(); }

 private:
  struct Block {
    std::shared_ptr<std::byte> storage;
    size_t size = 0;
    int refs = 0;
  };
  void reset_to(const std::vector<size_t>& sizes);

  std::vector<Block> blocks_;
  std::string signature_;
  uint64_t requested_bytes_ = 0;
  std::map<std::string, std::vector<size_t>> plans_;
};

}  // namespace neuropipe::nn
