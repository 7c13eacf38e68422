#pragma once
// The PyTorch references of the detect parity tests: onnx::TensorProto files
// written by tools/export (float boxes/scores, int64 labels), read as doubles.
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include "exports.hpp"

namespace neuropipe::test {

inline std::vector<double> read_reference_values(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  onnx::TensorProto t;
  REQUIRE(t.ParseFromIstream(&in));
  const std::string& raw = t.raw_data();
  std::vector<double> values;
  if (t.data_type() == onnx::TensorProto::FLOAT) {
    std::vector<float> f(raw.size() / sizeof(float));
    std::memcpy(f.data(), raw.data(), raw.size());
    values.assign(f.begin(), f.end());
  } else {
    REQUIRE(t.data_type() == onnx::TensorProto::INT64);
    std::vector<int64_t> i(raw.size() / sizeof(int64_t));
    std::memcpy(i.data(), raw.data(), raw.size());
    values.assign(i.begin(), i.end());
  }
  return values;
}

// |actual - expected| relative to the expected value, absolute below 1.
inline double relative_error(double actual, double expected) {
  return std::abs(actual - expected) / std::max(std::abs(expected), 1.0);
}

}  // namespace neuropipe::test
