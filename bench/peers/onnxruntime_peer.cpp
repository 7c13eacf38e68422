// ONNX Runtime (CPU, the prebuilt library from npm) as a benchmark peer,
// through its C API. Built only when tools/fetch-onnxruntime.sh has fetched
// it (NEUROPIPE_HAVE_ONNXRUNTIME); otherwise the peer reports itself missing.
#include <cstring>

#include "neuropipe/error.hpp"
#include "peers/peer.hpp"

#ifdef NEUROPIPE_HAVE_ONNXRUNTIME
#include <onnxruntime_c_api.h>
#endif

namespace neuropipe::bench {

#ifdef NEUROPIPE_HAVE_ONNXRUNTIME
namespace {

const OrtApi& ort() {
  static const OrtApi* api = OrtGetApiBase()->GetApi(ORT_API_VERSION);
  if (!api) throw Error("ONNX Runtime library does not provide C API version " + std::to_string(ORT_API_VERSION));
  return *api;
}

void check(OrtStatus* status, const std::string& what) {
  if (!status) return;
  std::string msg = ort().GetErrorMessage(status);
  ort().ReleaseStatus(status);
  throw Error("ONNX Runtime: " + what + ": " + msg);
}

ONNXTensorElementDataType ort_type(nn::DType t) {
  switch (t) {
    case nn::DType::f32: return ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT;
    case nn::DType::f16: return ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16;
    case nn::DType::i64: return ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64;
    case nn::DType::i32: return ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32;
    case nn::DType::u8: return ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8;
    case nn::DType::boolean: return ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL;
    default: throw Error(std::string("ONNX Runtime peer: unsupported input type ") + nn::dtype_name(t));
  }
}

class OrtPeer final : public Peer {
 public:
  explicit OrtPeer(const PeerConfig& cfg) : inputs_(cfg.inputs) {
    check(ort().CreateEnv(ORT_LOGGING_LEVEL_ERROR, "neuropipe-bench", &env_), "CreateEnv");
    check(ort().CreateSessionOptions(&options_), "CreateSessionOptions");
    check(ort().SetIntraOpNumThreads(options_, cfg.threads), "SetIntraOpNumThreads");
    check(ort().SetInterOpNumThreads(options_, 1), "SetInterOpNumThreads");
    check(ort().SetSessionGraphOptimizationLevel(options_, ORT_ENABLE_ALL), "SetSessionGraphOptimizationLevel");
    check(ort().CreateSession(env_, cfg.model_path.c_str(), options_, &session_), "load " + cfg.model_path);
    check(ort().CreateCpuMemoryInfo(OrtArenaAllocator, OrtMemTypeDefault, &memory_), "CreateCpuMemoryInfo");
    for (auto& in : inputs_) {
      OrtValue* value = nullptr;
      check(ort().CreateTensorWithDataAsOrtValue(memory_, in.tensor.raw(), in.tensor.bytes(), in.tensor.shape().data(),
                                                 in.tensor.shape().size(), ort_type(in.tensor.dtype()), &value),
            "input " + in.name);
      values_.push_back(value);
      input_names_.push_back(in.name.c_str());
    }
    OrtAllocator* allocator = nullptr;
    check(ort().GetAllocatorWithDefaultOptions(&allocator), "GetAllocatorWithDefaultOptions");
    size_t n_out = 0;
    check(ort().SessionGetOutputCount(session_, &n_out), "SessionGetOutputCount");
    for (size_t i = 0; i < n_out; ++i) {
      char* name = nullptr;
      check(ort().SessionGetOutputName(session_, i, allocator, &name), "SessionGetOutputName");
      output_name_storage_.emplace_back(name);
      check(ort().AllocatorFree(allocator, name), "AllocatorFree");
    }
    for (const auto& n : output_name_storage_) output_names_.push_back(n.c_str());
  }
  ~OrtPeer() override {
    for (auto* v : values_) ort().ReleaseValue(v);
    if (memory_) ort().ReleaseMemoryInfo(memory_);
    if (session_) ort().ReleaseSession(session_);
    if (options_) ort().ReleaseSessionOptions(options_);
    if (env_) ort().ReleaseEnv(env_);
  }
  std::string name() const override { return "onnxruntime"; }
  // OrtSession::Run is thread-safe: every stream shares the one session.
  void run_once(int /*stream*/) override {
    for (auto* v : run()) ort().ReleaseValue(v);
  }

  // Every graph output, copied into owned tensors (the parity tests' oracle).
  std::vector<NamedInput> run_and_copy() {
    std::vector<NamedInput> out;
    auto values = run();
    try {
      for (size_t i = 0; i < values.size(); ++i) out.push_back({output_name_storage_[i], copy_out(values[i])});
    } catch (...) {
      for (auto* v : values) ort().ReleaseValue(v);
      throw;
    }
    for (auto* v : values) ort().ReleaseValue(v);
    return out;
  }

 private:
  std::vector<OrtValue*> run() {
    std::vector<OrtValue*> outputs(output_names_.size(), nullptr);
    check(ort().Run(session_, nullptr, input_names_.data(), values_.data(), values_.size(), output_names_.data(),
                    output_names_.size(), outputs.data()),
          "Run");
    return outputs;
  }

  static nn::Tensor copy_out(OrtValue* value) {
    OrtTensorTypeAndShapeInfo* info = nullptr;
    check(ort().GetTensorTypeAndShape(value, &info), "GetTensorTypeAndShape");
    size_t rank = 0;
    ONNXTensorElementDataType type{};
    check(ort().GetDimensionsCount(info, &rank), "GetDimensionsCount");
    nn::Shape shape(rank);
    check(ort().GetDimensions(info, shape.data(), rank), "GetDimensions");
    check(ort().GetTensorElementType(info, &type), "GetTensorElementType");
    ort().ReleaseTensorTypeAndShapeInfo(info);
    nn::DType dtype = nn::DType::f32;
    switch (type) {
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT: dtype = nn::DType::f32; break;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16: dtype = nn::DType::f16; break;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64: dtype = nn::DType::i64; break;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32: dtype = nn::DType::i32; break;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8: dtype = nn::DType::u8; break;
      case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL: dtype = nn::DType::boolean; break;
      default: throw Error("ONNX Runtime output of unsupported element type " + std::to_string(type));
    }
    void* data = nullptr;
    check(ort().GetTensorMutableData(value, &data), "GetTensorMutableData");
    nn::Tensor t = nn::Tensor::empty(dtype, shape);
    if (t.bytes()) std::memcpy(t.raw(), data, t.bytes());
    return t;
  }

  std::vector<NamedInput> inputs_;
  OrtEnv* env_ = nullptr;
  OrtSessionOptions* options_ = nullptr;
  OrtSession* session_ = nullptr;
  OrtMemoryInfo* memory_ = nullptr;
  std::vector<OrtValue*> values_;
  std::vector<const char*> input_names_;
  std::vector<std::string> output_name_storage_;
  std::vector<const char*> output_names_;
};

}  // namespace

bool onnxruntime_available() { return true; }
std::unique_ptr<Peer> make_onnxruntime_peer(const PeerConfig& cfg) { return std::make_unique<OrtPeer>(cfg); }
std::vector<NamedInput> onnxruntime_infer(const std::string& model_path, const std::vector<NamedInput>& inputs,
                                          int threads) {
  return OrtPeer(PeerConfig{model_path, threads, 1, inputs}).run_and_copy();
}

#else

bool onnxruntime_available() { return false; }
std::unique_ptr<Peer> make_onnxruntime_peer(const PeerConfig&) {
  throw Error("ONNX Runtime peer not built: run tools/fetch-onnxruntime.sh, then re-run cmake");
}
std::vector<NamedInput> onnxruntime_infer(const std::string&, const std::vector<NamedInput>&, int) {
  throw Error("ONNX Runtime not built in: run tools/fetch-onnxruntime.sh, then re-run cmake");
}

#endif

std::unique_ptr<Peer> make_peer(const std::string& peer, const PeerConfig& cfg) {
  if (peer == "neuropipe") return make_neuropipe_peer(cfg);
  if (peer == "neuropipe-unoptimized") return make_neuropipe_peer(cfg, /*optimize=*/false);
  if (peer == "onnxruntime" || peer == "ort") return make_onnxruntime_peer(cfg);
  if (peer == "opencv") return make_opencv_peer(cfg);
  throw Error("unknown peer '" + peer + "' (choose neuropipe, neuropipe-unoptimized, onnxruntime, opencv)");
}

}  // namespace neuropipe::bench
