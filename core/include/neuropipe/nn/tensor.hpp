#pragma once
// Tensor: a typed, shaped, contiguous (row-major) buffer. It either owns its
// storage (shared, ref-counted) or views memory owned elsewhere (a cv::Mat, a
// user buffer, the run arena). Copying a Tensor copies the handle, not data.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace neuropipe::nn {

enum class DType : uint8_t { f32, f16, f64, i8, u8, i16, u16, i32, u32, i64, u64, boolean, string };

size_t dtype_size(DType t);
const char* dtype_name(DType t);

using Shape = std::vector<int64_t>;   // -1 = unknown/symbolic (only in static type info)
int64_t shape_numel(const Shape& s);
std::string shape_to_string(const Shape& s);

template <class T> constexpr DType dtype_of();
template <> constexpr DType dtype_of<float>() { return DType::f32; }
template <> constexpr DType dtype_of<double>() { return DType::f64; }
template <> constexpr DType dtype_of<int8_t>() { return DType::i8; }
template <> constexpr DType dtype_of<uint8_t>() { return DType::u8; }
template <> constexpr DType dtype_of<int16_t>() { return DType::i16; }
template <> constexpr DType dtype_of<uint16_t>() { return DType::u16; }
template <> constexpr DType dtype_of<int32_t>() { return DType::i32; }
template <> constexpr DType dtype_of<uint32_t>() { return DType::u32; }
template <> constexpr DType dtype_of<int64_t>() { return DType::i64; }
template <> constexpr DType dtype_of<uint64_t>() { return DType::u64; }
template <> constexpr DType dtype_of<bool>() { return DType::boolean; }

class Tensor {
 public:
  Tensor() = default;
  // Owning, zero-initialised.
  static Tensor zeros(DType dtype, Shape shape);
  // Owning, uninitialised.
  static Tensor empty(DType dtype, Shape shape);
  // Non-owning view of caller memory; the caller keeps it alive.
  static Tensor view(DType dtype, Shape shape, void* data);
  // View that keeps `owner` alive (e.g. a cv::Mat's refcount, an arena block).
  static Tensor view(DType dtype, Shape shape, void* data, std::shared_ptr<void> owner);
  template <class T>
  static Tensor from_vector(const std::vector<T>& v, Shape shape);

  DType dtype() const { return dtype_; }
  const Shape& shape() const { return shape_; }
  size_t rank() const { return shape_.size(); }
  int64_t dim(size_t i) const { return shape_[i]; }
  int64_t numel() const { return shape_numel(shape_); }
  size_t bytes() const { return static_cast<size_t>(numel()) * dtype_size(dtype_); }
  bool empty() const { return data_ == nullptr && numel() != 0; }
  bool defined() const { return data_ != nullptr || (numel() == 0 && !shape_.empty()); }

  void* raw() { return data_; }
  const void* raw() const { return data_; }
  template <class T> T* data() { return static_cast<T*>(data_); }
  template <class T> const T* data() const { return static_cast<const T*>(data_); }
  template <class T> std::span<T> span() { return {data<T>(), static_cast<size_t>(numel())}; }
  template <class T> std::span<const T> span() const { return {data<T>(), static_cast<size_t>(numel())}; }

  // Same bytes, new shape (numel must match).
  Tensor reshaped(Shape shape) const;
  // Deep copy into owned storage.
  Tensor clone() const;
  // Converted copy (f16<->f32, ints<->floats, bool).
  Tensor to(DType dtype) const;
  // Values as int64 (for shape tensors of any integer type).
  std::vector<int64_t> to_int64_vector() const;

  // String tensors (rare; ONNX string inputs) keep their elements here.
  std::shared_ptr<std::vector<std::string>> strings;

 private:
  DType dtype_ = DType::f32;
  Shape shape_;
  void* data_ = nullptr;
  std::shared_ptr<void> owner_;
};

template <class T>
Tensor Tensor::from_vector(const std::vector<T>& v, Shape shape) {
  Tensor t = empty(dtype_of<T>(), std::move(shape));
  for (size_t i = 0; i < v.size() && i < static_cast<size_t>(t.numel()); ++i) t.data<T>()[i] = v[i];
  return t;
}

// IEEE half <-> float (table-free, exact for all values incl. subnormals/inf/nan).
float half_to_float(uint16_t h);
uint16_t float_to_half(float f);

}  // namespace neuropipe::nn
