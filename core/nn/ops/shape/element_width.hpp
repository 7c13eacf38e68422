#pragma once
// Data-movement ops (Transpose, Gather, Slice, Pad, ...) never look at values,
// only move them, so they are written once per element width instead of once
// per dtype: every dtype except string maps to an unsigned integer of its size.
#include <cstdint>
#include <string>

#include "neuropipe/nn/tensor.hpp"

namespace neuropipe::nn::ops {

template <class T>
struct WidthTag {
  using type = T;
};

// Calls f(WidthTag<uintN_t>{}) for the width of `dt`; false for strings.
template <class F>
bool visit_element_width(DType dt, F&& f) {
  if (dt == DType::string) return false;
  switch (dtype_size(dt)) {
    case 1:
      f(WidthTag<uint8_t>{});
      return true;
    case 2:
      f(WidthTag<uint16_t>{});
      return true;
    case 4:
      f(WidthTag<uint32_t>{});
      return true;
    case 8:
      f(WidthTag<uint64_t>{});
      return true;
    default:
      return false;
  }
}

inline std::string unsupported_movement_message(DType dt) {
  return std::string("cannot move elements of type ") + dtype_name(dt);
}

}  // namespace neuropipe::nn::ops
