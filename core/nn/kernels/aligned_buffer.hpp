#pragma once
// A 64-byte aligned float buffer (one cache line, one AVX-512 vector) for
// packed GEMM panels. Grows on demand and never shrinks, so a thread's packing
// scratch is allocated once and reused across calls.
#include <cstddef>
#include <cstdlib>
#include <memory>

namespace neuropipe::nn::kernels {

class AlignedBuffer {
 public:
  AlignedBuffer() = default;
  explicit AlignedBuffer(size_t floats) { reserve(floats); }

  float* reserve(size_t floats) {
    if (floats > capacity_) {
      const size_t bytes = (floats * sizeof(float) + 63) / 64 * 64;
      data_.reset(static_cast<float*>(std::aligned_alloc(64, bytes)));
      if (!data_) throw std::bad_alloc();
      capacity_ = floats;
    }
    return data_.get();
  }
  float* data() { return data_.get(); }
  const float* data() const { return data_.get(); }

 private:
  struct Free {
    void operator()(float* p) const { std::free(p); }
  };
  std::unique_ptr<float, Free> data_;
  size_t capacity_ = 0;
};

}  // namespace neuropipe::nn::kernels
