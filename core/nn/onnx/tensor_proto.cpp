#include "nn/onnx/tensor_proto.hpp"

#include <cstring>
#include <fstream>
#include <limits>

#include "neuropipe/nn/errors.hpp"

namespace neuropipe::nn::onnx_import {

namespace fs = std::filesystem;
using onnx::TensorProto_DataType;

DType dtype_from_onnx(int elem_type, const std::string& what) {
  switch (elem_type) {
    case onnx::TensorProto::FLOAT: return DType::f32;
    case onnx::TensorProto::UINT8: return DType::u8;
    case onnx::TensorProto::INT8: return DType::i8;
    case onnx::TensorProto::UINT16: return DType::u16;
    case onnx::TensorProto::INT16: return DType::i16;
    case onnx::TensorProto::INT32: return DType::i32;
    case onnx::TensorProto::INT64: return DType::i64;
    case onnx::TensorProto::STRING: return DType::string;
    case onnx::TensorProto::BOOL: return DType::boolean;
    case onnx::TensorProto::FLOAT16: return DType::f16;
    case onnx::TensorProto::DOUBLE: return DType::f64;
    case onnx::TensorProto::UINT32: return DType::u32;
    case onnx::TensorProto::UINT64: return DType::u64;
    case onnx::TensorProto::BFLOAT16: return DType::f32;  // widened to f32 at decode
    default: break;
  }
  throw Unsupported(what + ": tensor element type " + std::to_string(elem_type) + " is not supported");
}

int dtype_to_onnx(DType t) {
  switch (t) {
    case DType::f32: return onnx::TensorProto::FLOAT;
    case DType::f16: return onnx::TensorProto::FLOAT16;
    case DType::f64: return onnx::TensorProto::DOUBLE;
    case DType::i8: return onnx::TensorProto::INT8;
    case DType::u8: return onnx::TensorProto::UINT8;
    case DType::i16: return onnx::TensorProto::INT16;
    case DType::u16: return onnx::TensorProto::UINT16;
    case DType::i32: return onnx::TensorProto::INT32;
    case DType::u32: return onnx::TensorProto::UINT32;
    case DType::i64: return onnx::TensorProto::INT64;
    case DType::u64: return onnx::TensorProto::UINT64;
    case DType::boolean: return onnx::TensorProto::BOOL;
    case DType::string: return onnx::TensorProto::STRING;
  }
  return 0;
}

namespace {

Shape checked_shape(const onnx::TensorProto& proto, DType dtype, const TensorSource& src) {
  Shape shape(proto.dims().begin(), proto.dims().end());
  uint64_t numel = 1;
  for (int64_t d : shape) {
    if (d < 0) throw Error(src.what + ": negative dimension in " + shape_to_string(shape));
    if (d != 0 && numel > std::numeric_limits<uint64_t>::max() / static_cast<uint64_t>(d))
      throw Error(src.what + ": dims " + shape_to_string(shape) + " overflow");
    numel *= static_cast<uint64_t>(d);
  }
  uint64_t elem = dtype == DType::string ? 1 : dtype_size(dtype);
  if (numel > src.max_tensor_bytes / elem)
    throw Error(src.what + ": dims " + shape_to_string(shape) + " exceed the limit of " +
                std::to_string(src.max_tensor_bytes) + " bytes (LoadOptions::max_tensor_bytes)");
  return shape;
}

void expect_count(uint64_t got, const Tensor& t, const std::string& field, const TensorSource& src) {
  if (got != static_cast<uint64_t>(t.numel()))
    throw Error(src.what + ": " + field + " holds " + std::to_string(got) + " values but dims " +
                shape_to_string(t.shape()) + " need " + std::to_string(t.numel()));
}

void copy_bytes(const std::string& bytes, Tensor& t, const std::string& field, const TensorSource& src) {
  if (bytes.size() != t.bytes())
    throw Error(src.what + ": " + field + " holds " + std::to_string(bytes.size()) + " bytes but dims " +
                shape_to_string(t.shape()) + " x " + dtype_name(t.dtype()) + " need " +
                std::to_string(t.bytes()));
  if (!bytes.empty()) std::memcpy(t.raw(), bytes.data(), bytes.size());
}

std::string read_external(const onnx::TensorProto& proto, size_t expected, const TensorSource& src) {
  std::string location;
  uint64_t offset = 0;
  std::optional<uint64_t> length;
  for (const auto& kv : proto.external_data()) {
    try {
      if (kv.key() == "location") location = kv.value();
      else if (kv.key() == "offset") offset = std::stoull(kv.value());
      else if (kv.key() == "length") length = std::stoull(kv.value());
    } catch (const std::exception&) {
      throw Error(src.what + ": external_data field '" + kv.key() + "' is not a number: '" + kv.value() + "'");
    }
  }
  if (location.empty()) throw Error(src.what + ": external data without a 'location'");
  fs::path file = src.base_dir / location;
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(src.what + ": external data file " + file.string() + " cannot be opened");
  std::error_code ec;
  uint64_t size = fs::file_size(file, ec);
  uint64_t wanted = length.value_or(expected);
  if (ec || offset > size || wanted > size - offset)
    throw Error(src.what + ": external data file " + file.string() + " is too short for offset " +
                std::to_string(offset) + " + length " + std::to_string(wanted));
  if (wanted != expected)
    throw Error(src.what + ": external data length " + std::to_string(wanted) + " does not match the " +
                std::to_string(expected) + " bytes the dims need");
  std::string bytes(expected, '\0');
  in.seekg(static_cast<std::streamoff>(offset));
  in.read(bytes.data(), static_cast<std::streamsize>(expected));
  if (!in) throw Error(src.what + ": reading external data from " + file.string() + " failed");
  return bytes;
}

template <class Dst, class Field>
void copy_field(const Field& field, Tensor& t, const char* name, const TensorSource& src) {
  expect_count(static_cast<uint64_t>(field.size()), t, name, src);
  Dst* d = t.data<Dst>();
  for (int i = 0; i < field.size(); ++i) d[i] = static_cast<Dst>(field.Get(i));
}

void decode_typed_fields(const onnx::TensorProto& proto, int elem, Tensor& t, const TensorSource& src) {
  switch (elem) {
    case onnx::TensorProto::FLOAT: return copy_field<float>(proto.float_data(), t, "float_data", src);
    case onnx::TensorProto::DOUBLE: return copy_field<double>(proto.double_data(), t, "double_data", src);
    case onnx::TensorProto::INT64: return copy_field<int64_t>(proto.int64_data(), t, "int64_data", src);
    case onnx::TensorProto::UINT32: return copy_field<uint32_t>(proto.uint64_data(), t, "uint64_data", src);
    case onnx::TensorProto::UINT64: return copy_field<uint64_t>(proto.uint64_data(), t, "uint64_data", src);
    case onnx::TensorProto::INT32: return copy_field<int32_t>(proto.int32_data(), t, "int32_data", src);
    case onnx::TensorProto::INT16: return copy_field<int16_t>(proto.int32_data(), t, "int32_data", src);
    case onnx::TensorProto::UINT16:
    case onnx::TensorProto::FLOAT16:  // int32_data holds the raw half bits
      return copy_field<uint16_t>(proto.int32_data(), t, "int32_data", src);
    case onnx::TensorProto::INT8: return copy_field<int8_t>(proto.int32_data(), t, "int32_data", src);
    case onnx::TensorProto::UINT8: return copy_field<uint8_t>(proto.int32_data(), t, "int32_data", src);
    case onnx::TensorProto::BOOL: {
      expect_count(static_cast<uint64_t>(proto.int32_data_size()), t, "int32_data", src);
      for (int i = 0; i < proto.int32_data_size(); ++i) t.data<bool>()[i] = proto.int32_data(i) != 0;
      return;
    }
    case onnx::TensorProto::STRING: {
      expect_count(static_cast<uint64_t>(proto.string_data_size()), t, "string_data", src);
      for (int i = 0; i < proto.string_data_size(); ++i) (*t.strings)[i] = proto.string_data(i);
      return;
    }
    default: throw Error(src.what + ": no data field for element type " + std::to_string(elem));
  }
}

// bfloat16 is the upper half of a float: widen it so kernels only see f32.
Tensor widen_bfloat16(const onnx::TensorProto& proto, Shape shape, const TensorSource& src) {
  Tensor bits = Tensor::empty(DType::u16, shape);
  if (proto.has_raw_data()) copy_bytes(proto.raw_data(), bits, "raw_data", src);
  else copy_field<uint16_t>(proto.int32_data(), bits, "int32_data", src);
  Tensor out = Tensor::empty(DType::f32, std::move(shape));
  for (int64_t i = 0; i < out.numel(); ++i) {
    uint32_t word = static_cast<uint32_t>(bits.data<uint16_t>()[i]) << 16;
    std::memcpy(out.data<float>() + i, &word, 4);
  }
  return out;
}

}  // namespace

Tensor tensor_from_proto(const onnx::TensorProto& proto, const TensorSource& src) {
  if (proto.segment().begin() != 0 || proto.segment().end() != 0)
    throw Unsupported(src.what + ": segmented tensors are not supported");
  int elem = proto.data_type();
  DType dtype = dtype_from_onnx(elem, src.what);
  Shape shape = checked_shape(proto, elem == onnx::TensorProto::BFLOAT16 ? DType::u16 : dtype, src);
  if (elem == onnx::TensorProto::BFLOAT16) return widen_bfloat16(proto, std::move(shape), src);
  Tensor t = Tensor::zeros(dtype, std::move(shape));
  if (proto.data_location() == onnx::TensorProto::EXTERNAL) {
    if (dtype == DType::string) throw Unsupported(src.what + ": external string data is not supported");
    copy_bytes(read_external(proto, t.bytes(), src), t, "external data", src);
  } else if (proto.has_raw_data() && dtype != DType::string) {
    copy_bytes(proto.raw_data(), t, "raw_data", src);
    if (dtype == DType::boolean)  // normalise bytes to 0/1 so bool kernels may rely on it
      for (auto& b : t.span<uint8_t>()) b = b != 0;
  } else {
    decode_typed_fields(proto, elem, t, src);
  }
  return t;
}

ValueType value_type_from_proto(const onnx::TypeProto& type, const std::string& what,
                                std::vector<std::string>* dim_names) {
  if (!type.has_tensor_type()) {
    const char* kind = type.has_sequence_type() ? "sequence" : type.has_optional_type() ? "optional"
                       : type.has_map_type() ? "map" : type.has_sparse_tensor_type() ? "sparse tensor" : "unknown";
    throw Unsupported(what + ": " + kind + " values are not supported (only tensors)");
  }
  const auto& tt = type.tensor_type();
  ValueType vt;
  vt.dtype = dtype_from_onnx(tt.elem_type(), what);
  if (!tt.has_shape()) return vt;
  Shape shape;
  for (const auto& d : tt.shape().dim()) {
    shape.push_back(d.has_dim_value() && d.dim_value() >= 0 ? d.dim_value() : -1);
    if (dim_names) dim_names->push_back(d.has_dim_param() ? d.dim_param() : std::string());
  }
  vt.shape = std::move(shape);
  return vt;
}

}  // namespace neuropipe::nn::onnx_import
