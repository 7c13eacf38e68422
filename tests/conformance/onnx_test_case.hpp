#pragma once
// One ONNX backend test directory (model.onnx + test_data_set_*/{input,output}_*.pb)
// run through the engine and classified.
#include <filesystem>
#include <string>

namespace neuropipe::test {

enum class Outcome { passed, failed, unsupported };

struct CaseResult {
  Outcome outcome = Outcome::failed;
  std::string reason;  // why it failed / is unsupported
};

// Floats compare like ONNX's backend tests: |got - want| <= atol + rtol * |want|, NaN == NaN.
inline constexpr double kRtol = 1e-3, kAtol = 1e-5;

CaseResult run_onnx_test_case(const std::filesystem::path& dir);

}  // namespace neuropipe::test
