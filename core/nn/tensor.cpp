// Tensor storage, dtype helpers and exact IEEE half <-> float conversion.
#include "neuropipe/nn/tensor.hpp"

#include <bit>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "neuropipe/error.hpp"

namespace neuropipe::nn {

size_t dtype_size(DType t) {
  switch (t) {
    case DType::f32: case DType::i32: case DType::u32: return 4;
    case DType::f16: case DType::i16: case DType::u16: return 2;
    case DType::f64: case DType::i64: case DType::u64: return 8;
    case DType::i8: case DType::u8: case DType::boolean: return 1;
    case DType::string: return sizeof(std::string*);  // strings live in Tensor::strings
  }
  return 0;
}

const char* dtype_name(DType t) {
  switch (t) {
    case DType::f32: return "float32";
    case DType::f16: return "float16";
    case DType::f64: return "float64";
    case DType::i8: return "int8";
    case DType::u8: return "uint8";
    case DType::i16: return "int16";
    case DType::u16: return "uint16";
    case DType::i32: return "int32";
    case DType::u32: return "uint32";
    case DType::i64: return "int64";
    case DType::u64: return "uint64";
    case DType::boolean: return "bool";
    case DType::string: return "string";
  }
  return "?";
}

int64_t shape_numel(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s)  // a damaged file's dims can overflow int64 (found by tests/fuzz)
    if (__builtin_mul_overflow(n, d, &n)) throw Error("shape " + shape_to_string(s) + " has too many elements");
  return n;
}

std::string shape_to_string(const Shape& s) {
  std::string out = "[";
  for (size_t i = 0; i < s.size(); ++i) {
    if (i) out += ",";
    out += s[i] < 0 ? std::string("?") : std::to_string(s[i]);
  }
  return out + "]";
}

namespace {
// 64-byte aligned heap block so SIMD kernels may use aligned loads on owned tensors.
std::shared_ptr<void> allocate_bytes(size_t bytes, bool zero) {
  size_t rounded = (std::max<size_t>(bytes, 1) + 63) / 64 * 64;
  void* p = std::aligned_alloc(64, rounded);
  if (!p) throw Error("tensor allocation of " + std::to_string(bytes) + " bytes failed");
  if (zero) std::memset(p, 0, rounded);
  return std::shared_ptr<void>(p, [](void* q) { std::free(q); });
}

void check_shape(const Shape& shape) {
  for (int64_t d : shape)
    if (d < 0) throw Error("tensor shape " + shape_to_string(shape) + " has a negative dimension");
}
}  // namespace

Tensor Tensor::empty(DType dtype, Shape shape) {
  check_shape(shape);
  Tensor t;
  t.dtype_ = dtype;
  t.shape_ = std::move(shape);
  if (dtype == DType::string) {
    t.strings = std::make_shared<std::vector<std::string>>(static_cast<size_t>(t.numel()));
    t.owner_ = t.strings;
    t.data_ = t.strings->data();
    return t;
  }
  t.owner_ = allocate_bytes(t.bytes(), false);
  t.data_ = t.owner_.get();
  return t;
}

Tensor Tensor::zeros(DType dtype, Shape shape) {
  Tensor t = empty(dtype, std::move(shape));
  if (dtype != DType::string) std::memset(t.data_, 0, t.bytes());
  return t;
}

Tensor Tensor::view(DType dtype, Shape shape, void* data) { return view(dtype, std::move(shape), data, nullptr); }

Tensor Tensor::view(DType dtype, Shape shape, void* data, std::shared_ptr<void> owner) {
  check_shape(shape);
  Tensor t;
  t.dtype_ = dtype;
  t.shape_ = std::move(shape);
  t.data_ = data;
  t.owner_ = std::move(owner);
  return t;
}

Tensor Tensor::reshaped(Shape shape) const {
  if (shape_numel(shape) != numel())
    throw Error("cannot reshape " + shape_to_string(shape_) + " to " + shape_to_string(shape));
  Tensor t = *this;
  t.shape_ = std::move(shape);
  return t;
}

Tensor Tensor::clone() const {
  Tensor t = empty(dtype_, shape_);
  if (dtype_ == DType::string) {
    if (strings) *t.strings = *strings;
  } else if (bytes()) {
    std::memcpy(t.data_, data_, bytes());
  }
  return t;
}

namespace {
// Reads element i of any numeric tensor as double (exact for every type but
// 64-bit ints above 2^53, which go through the int64 path below).
template <class F>
void visit_numeric(DType t, F&& f) {
  switch (t) {
    case DType::f32: return f(float{});
    case DType::f64: return f(double{});
    case DType::i8: return f(int8_t{});
    case DType::u8: return f(uint8_t{});
    case DType::i16: return f(int16_t{});
    case DType::u16: return f(uint16_t{});
    case DType::i32: return f(int32_t{});
    case DType::u32: return f(uint32_t{});
    case DType::i64: return f(int64_t{});
    case DType::u64: return f(uint64_t{});
    case DType::boolean: return f(bool{});
    default: throw Error(std::string("no numeric conversion for dtype ") + dtype_name(t));
  }
}

template <class Dst, class Src>
Dst convert_value(Src v) {
  if constexpr (std::is_same_v<Dst, bool>) {
    return v != Src{};
  } else if constexpr (std::is_floating_point_v<Src> && std::is_integral_v<Dst>) {
    // Out-of-range float->int is UB in C++; saturate like most runtimes instead.
    if (v != v) return Dst{};
    if (v <= static_cast<Src>(std::numeric_limits<Dst>::lowest())) return std::numeric_limits<Dst>::lowest();
    if (v >= static_cast<Src>(std::numeric_limits<Dst>::max())) return std::numeric_limits<Dst>::max();
    return static_cast<Dst>(v);
  } else {
    return static_cast<Dst>(v);
  }
}

Tensor half_to_f32(const Tensor& src) {
  Tensor out = Tensor::empty(DType::f32, src.shape());
  const uint16_t* s = src.data<uint16_t>();
  float* d = out.data<float>();
  for (int64_t i = 0; i < src.numel(); ++i) d[i] = half_to_float(s[i]);
  return out;
}
}  // namespace

Tensor Tensor::to(DType dtype) const {
  if (dtype == dtype_) return clone();
  if (dtype_ == DType::string || dtype == DType::string)
    throw Error(std::string("cannot convert ") + dtype_name(dtype_) + " to " + dtype_name(dtype));
  if (dtype_ == DType::f16) return half_to_f32(*this).to(dtype);
  if (dtype == DType::f16) {
    Tensor f = to(DType::f32);
    Tensor out = empty(DType::f16, shape_);
    for (int64_t i = 0; i < numel(); ++i) out.data<uint16_t>()[i] = float_to_half(f.data<float>()[i]);
    return out;
  }
  Tensor out = empty(dtype, shape_);
  visit_numeric(dtype_, [&](auto src_tag) {
    using S = decltype(src_tag);
    visit_numeric(dtype, [&](auto dst_tag) {
      using D = decltype(dst_tag);
      const S* s = data<S>();
      D* d = out.data<D>();
      for (int64_t i = 0; i < numel(); ++i) d[i] = convert_value<D>(s[i]);
    });
  });
  return out;
}

std::vector<int64_t> Tensor::to_int64_vector() const {
  std::vector<int64_t> v(static_cast<size_t>(numel()));
  if (v.empty()) return v;
  if (dtype_ == DType::i64) {
    std::memcpy(v.data(), data_, bytes());
    return v;
  }
  Tensor t = to(DType::i64);
  std::memcpy(v.data(), t.raw(), t.bytes());
  return v;
}

float half_to_float(uint16_t h) {
  uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  uint32_t exponent = (h >> 10) & 0x1Fu;
  uint32_t mantissa = h & 0x3FFu;
  uint32_t bits;
  if (exponent == 0x1F) {
    bits = sign | 0x7F800000u | (mantissa << 13);  // inf / nan (payload kept)
  } else if (exponent != 0) {
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {
    bits = sign;
  } else {
    // Subnormal half: normalise the mantissa into a float exponent.
    int shift = std::countl_zero(mantissa) - 21;  // leading zeros within the 10-bit field
    mantissa = (mantissa << shift) & 0x3FFu;
    bits = sign | (static_cast<uint32_t>(113 - shift) << 23) | (mantissa << 13);
  }
  return std::bit_cast<float>(bits);
}

uint16_t float_to_half(float f) {
  uint32_t bits = std::bit_cast<uint32_t>(f);
  uint16_t sign = static_cast<uint16_t>((bits >> 16) & 0x8000u);
  uint32_t abs = bits & 0x7FFFFFFFu;
  if (abs >= 0x7F800000u)  // inf or nan (keep nan quiet and non-zero)
    return sign | 0x7C00u | (abs > 0x7F800000u ? 0x200u | ((abs >> 13) & 0x3FFu) : 0u);
  if (abs >= 0x477FF000u) return sign | 0x7C00u;  // rounds past the largest half: inf
  if (abs < 0x38800000u) {
    // Result is subnormal (or zero): round-to-nearest-even on the shifted mantissa.
    if (abs < 0x33000000u) return sign;  // below half of the smallest subnormal
    uint32_t exponent = abs >> 23;
    uint32_t mantissa = (abs & 0x7FFFFFu) | 0x800000u;
    uint32_t shift = 126 - exponent;  // half subnormal = mantissa24 * 2^(exponent - 126)
    uint32_t half_bits = mantissa >> shift;
    uint32_t rem = mantissa & ((1u << shift) - 1);
    uint32_t halfway = 1u << (shift - 1);
    if (rem > halfway || (rem == halfway && (half_bits & 1u))) ++half_bits;
    return sign | static_cast<uint16_t>(half_bits);
  }
  // Normal: rebias exponent, round-to-nearest-even on the 13 dropped bits.
  uint32_t h = ((abs - 0x38000000u) >> 13);
  uint32_t rem = abs & 0x1FFFu;
  if (rem > 0x1000u || (rem == 0x1000u && (h & 1u))) ++h;
  return sign | static_cast<uint16_t>(h);
}

}  // namespace neuropipe::nn
