// Feeds arbitrary bytes to Model::load_from_memory and, when a model loads,
// runs it once on zero inputs. Anything but success or neuropipe::Error
// (a crash, a sanitizer report, another exception type) is a finding.
#include <cstddef>
#include <cstdint>

#include "neuropipe/nn/model.hpp"

using namespace neuropipe;

namespace {
nn::NamedTensors zero_inputs(const nn::Model& model) {
  nn::NamedTensors inputs;
  for (const auto& in : model.inputs()) {
    nn::Shape shape = in.shape;
    for (auto& d : shape) d = d < 0 ? 1 : std::min<int64_t>(d, 32);
    inputs[in.name] = nn::Tensor::zeros(in.dtype == nn::DType::string ? nn::DType::f32 : in.dtype, shape);
  }
  return inputs;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nn::LoadOptions options;
  options.max_tensor_bytes = 16 << 20;  // keep each input's memory small
  try {
    auto model = nn::Model::load_from_memory({data, size}, "fuzz", options);
    nn::Session session(model);
    session.run(zero_inputs(*model));
  } catch (const Error&) {
  }
  return 0;
}
