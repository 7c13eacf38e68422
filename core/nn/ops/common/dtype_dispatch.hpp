#pragma once
// Turning a run-time DType into a compile-time element type, so one templated
// loop serves every type an op supports. Ops name the types they accept with a
// TypeList; anything else is reported by the caller (it knows the node name).
//
//   bool ok = visit_dtype(x.dtype(), NumericTypes{}, [&](auto tag) {
//     using T = typename decltype(tag)::type;
//     ...
//   });
//   if (!ok) ctx.fail("unsupported element type " + std::string(dtype_name(x.dtype())));
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>

#include "neuropipe/nn/tensor.hpp"

namespace neuropipe::nn::ops {

template <class T>
struct TypeTag {
  using type = T;
};

template <class... Ts>
struct TypeList {};

template <class... A, class... B>
constexpr TypeList<A..., B...> operator+(TypeList<A...>, TypeList<B...>) {
  return {};
}

// float16 never reaches a kernel: the engine computes fp16 models in fp32.
using FloatTypes = TypeList<float, double>;
using SignedIntTypes = TypeList<int8_t, int16_t, int32_t, int64_t>;
using UnsignedIntTypes = TypeList<uint8_t, uint16_t, uint32_t, uint64_t>;
using IntTypes = decltype(SignedIntTypes{} + UnsignedIntTypes{});
using SignedTypes = decltype(FloatTypes{} + SignedIntTypes{});
using NumericTypes = decltype(FloatTypes{} + IntTypes{});
using AllTypes = decltype(NumericTypes{} + TypeList<bool>{});

// Converts between element types; to bool means "non-zero", as in ONNX Cast.
template <class To, class From>
inline To convert(From v) {
  if constexpr (std::is_same_v<To, bool> && !std::is_same_v<From, bool>) {
    return v != From{};
  } else {
    return static_cast<To>(v);
  }
}

template <class... Ts>
constexpr bool dtype_in(DType dt, TypeList<Ts...>) {
  return ((dt == dtype_of<Ts>()) || ...);
}

// Calls f(TypeTag<T>{}) for the T of `list` whose DType is `dt`. Returns false
// (void f) or nullopt/empty (value-returning f) when `dt` is not in the list.
template <class... Ts, class F>
auto visit_dtype(DType dt, TypeList<Ts...>, F&& f) {
  using First = std::tuple_element_t<0, std::tuple<Ts...>>;
  using R = decltype(f(TypeTag<First>{}));
  if constexpr (std::is_void_v<R>) {
    return ((dt == dtype_of<Ts>() ? (f(TypeTag<Ts>{}), true) : false) || ...);
  } else {
    R result{};
    ((dt == dtype_of<Ts>() ? (result = f(TypeTag<Ts>{}), true) : false) || ...);
    return result;
  }
}

inline std::string unsupported_dtype_message(DType dt) {
  return std::string("unsupported element type ") + dtype_name(dt);
}

}  // namespace neuropipe::nn::ops
