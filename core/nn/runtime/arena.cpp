#include "nn/runtime/arena.hpp"

#include <cstdlib>
#include <new>

namespace neuropipe::nn {

namespace {
constexpr size_t kAlignment = 64;       // SIMD-friendly for every kernel
constexpr size_t kMaxCachedPlans = 16;  // bounded: a video of varying sizes must not grow memory forever

std::shared_ptr<std::byte> allocate_block(size_t bytes) {
  size_t rounded = (std::max<size_t>(bytes, 1) + kAlignment - 1) / kAlignment * kAlignment;
  void* p = std::aligned_alloc(kAlignment, rounded);
  if (!p) throw std::bad_alloc();
  return std::shared_ptr<std::byte>(static_cast<std::byte*>(p), [](std::byte* q) { std::free(q); });
}
}  // namespace

void Arena::begin_run(const std::string& signature) {
  requested_bytes_ = 0;
  if (signature == signature_) return;
  signature_ = signature;
  auto plan = plans_.find(signature);
  reset_to(plan == plans_.end() ? std::vector<size_t>{} : plan->second);
}

void Arena::end_run() {
  if (plans_.size() >= kMaxCachedPlans && !plans_.count(signature_)) plans_.clear();
  std::vector<size_t>& sizes = plans_[signature_];
  sizes.clear();
  for (const auto& b : blocks_) sizes.push_back(b.size);
}

void Arena::reset_to(const std::vector<size_t>& sizes) {
  blocks_.clear();
  for (size_t s : sizes) blocks_.push_back(Block{allocate_block(s), s, 0});
}

Arena::Allocation Arena::allocate(size_t bytes) {
  requested_bytes_ += bytes;
  int best = -1;
  for (size_t i = 0; i < blocks_.size(); ++i) {
    const Block& b = blocks_[i];
    if (b.refs == 0 && b.size >= bytes && (best < 0 || b.size < blocks_[best].size)) best = static_cast<int>(i);
  }
  if (best < 0) {
    blocks_.push_back(Block{allocate_block(bytes), bytes, 0});
    best = static_cast<int>(blocks_.size()) - 1;
  }
  blocks_[best].refs = 1;
  return {blocks_[best].storage.get(), best};
}

void Arena::release(int block) {
  if (block >= 0 && blocks_[block].refs > 0) blocks_[block].refs--;
}

int Arena::block_containing(const void* ptr) const {
  auto p = reinterpret_cast<uintptr_t>(ptr);
  for (size_t i = 0; i < blocks_.size(); ++i) {
    auto start = reinterpret_cast<uintptr_t>(blocks_[i].storage.get());
    if (p >= start && p < start + std::max<size_t>(blocks_[i].size, 1)) return static_cast<int>(i);
  }
  return -1;
}

uint64_t Arena::footprint_bytes() const {
  uint64_t total = 0;
  for (const auto& b : blocks_) total += b.size;
  return total;
}

}  // namespace neuropipe::nn
