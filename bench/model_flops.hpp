#pragma once
// Counts a model's multiply-add work (as FLOPs = 2 x MACs) in its dense ops
// (Conv, ConvTranspose, Gemm, MatMul, LSTM, GRU) for given input shapes,
// using ONNX's own shape inference (libonnx) to know every tensor's shape.
#include <map>
#include <string>
#include <vector>

namespace neuropipe::bench {

struct FlopCount {
  double total = 0.0;                  // FLOPs of one inference
  std::map<std::string, double> by_op; // e.g. {"Conv": 3.9e9, "Gemm": 4e6}
  int uncounted_nodes = 0;             // dense nodes whose shapes inference could not resolve
};

FlopCount count_flops(const std::string& model_path,
                      const std::map<std::string, std::vector<int64_t>>& input_shapes);

}  // namespace neuropipe::bench
