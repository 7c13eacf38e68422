// Session::run: checks the caller's tensors against the model's inputs,
// converts fp16 at the boundary, runs the graph inside the engine arena with
// this session's arena, and converts outputs back to their declared types.
#include <chrono>

#include "neuropipe/nn/model.hpp"
#include "neuropipe/nn/profiler.hpp"
#include "nn/runtime/arena.hpp"
#include "nn/runtime/engine.hpp"
#include "nn/runtime/graph_run.hpp"
#include "nn/runtime/model_impl.hpp"

namespace neuropipe::nn {

class SessionImpl {
 public:
  explicit SessionImpl(std::shared_ptr<const Model> m) : model(std::move(m)) {}
  std::shared_ptr<const Model> model;
  Arena arena;
  RunStats stats;
};

namespace {

std::string input_names(const ModelImpl& m) {
  std::string names;
  for (const auto& in : m.inputs) names += (names.empty() ? "" : ", ") + in.name;
  return names;
}

bool is_float_pair(DType a, DType b) {
  return (a == DType::f16 || a == DType::f32) && (b == DType::f16 || b == DType::f32);
}

// The declared shape, with dim_param names consistent across inputs.
void check_shape(const ModelImpl& m, const TensorInfo& info, const Tensor& t,
                 std::map<std::string, int64_t>& symbols) {
  auto mismatch = [&](const std::string& why) {
    throw Error(m.name + ": input '" + info.name + "' has shape " + shape_to_string(t.shape()) + ", expected " +
                shape_to_string(info.shape) + " (" + why + ")");
  };
  if (info.shape.empty()) return;  // scalar or rank unknown: TensorInfo cannot tell, so accept
  if (t.rank() != info.shape.size()) mismatch("rank differs");
  for (size_t d = 0; d < info.shape.size(); ++d) {
    if (info.shape[d] >= 0 && info.shape[d] != t.dim(d)) mismatch("dimension " + std::to_string(d) + " differs");
    if (info.shape[d] < 0 && !info.dim_names[d].empty()) {
      auto [it, fresh] = symbols.emplace(info.dim_names[d], t.dim(d));
      if (!fresh && it->second != t.dim(d))
        mismatch("dimension '" + info.dim_names[d] + "' is " + std::to_string(it->second) + " in another input");
    }
  }
}

// The tensor the graph sees: validated, fp16 widened (the engine computes fp16 in fp32).
Tensor admit_input(const ModelImpl& m, const TensorInfo& info, const Tensor& t,
                   std::map<std::string, int64_t>& symbols) {
  if (!t.defined()) throw Error(m.name + ": input '" + info.name + "' is an empty (undefined) tensor");
  if (t.dtype() != info.dtype && !is_float_pair(t.dtype(), info.dtype))
    throw Error(m.name + ": input '" + info.name + "' has dtype " + dtype_name(t.dtype()) + ", expected " +
                dtype_name(info.dtype));
  check_shape(m, info, t, symbols);
  return t.dtype() == DType::f16 ? t.to(DType::f32) : t;
}

std::string signature_of(const std::vector<Tensor>& inputs) {
  std::string sig;
  for (const auto& t : inputs) sig += shape_to_string(t.shape()) + dtype_name(t.dtype()) + ";";
  return sig;
}

}  // namespace

Session::Session(std::shared_ptr<const Model> model) : impl_(std::make_unique<SessionImpl>(std::move(model))) {
  if (!impl_->model) throw Error("Session needs a loaded model (got a null Model)");
}
Session::~Session() = default;
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;

NamedTensors Session::run(const NamedTensors& inputs, const RunOptions& options) {
  std::vector<std::string> all;
  for (const auto& out : impl_->model->outputs()) all.push_back(out.name);
  return run(inputs, all, options);
}

NamedTensors Session::run(const NamedTensors& inputs, const std::vector<std::string>& output_names,
                          const RunOptions& options) {
  const ModelImpl& m = impl_->model->impl();
  const Graph& g = *m.graph;
  for (const auto& input : inputs) {
    const std::string& name = input.first;  // not a structured binding: clang 14 cannot capture those
    bool known = std::any_of(m.inputs.begin(), m.inputs.end(), [&](const TensorInfo& i) { return i.name == name; });
    if (!known) throw Error(m.name + ": unknown input '" + name + "' (the model's inputs are: " + input_names(m) + ")");
  }
  std::vector<size_t> wanted;
  for (const auto& name : output_names) {
    auto it = std::find_if(m.outputs.begin(), m.outputs.end(), [&](const TensorInfo& o) { return o.name == name; });
    if (it == m.outputs.end()) throw Error(m.name + ": unknown output '" + name + "'");
    wanted.push_back(static_cast<size_t>(it - m.outputs.begin()));
  }

  std::map<std::string, int64_t> symbols;
  std::vector<Tensor> admitted;
  std::vector<int> admitted_ids;
  for (const auto& info : m.inputs) {
    int id = g.find(info.name);
    if (id == kNoValue) throw Error(m.name + ": input '" + info.name + "' is not part of the graph");
    auto given = inputs.find(info.name);
    if (given == inputs.end()) {
      if (g.values[id].default_value) continue;  // initializer default applies
      throw Error(m.name + ": missing input '" + info.name + "' (expected " + dtype_name(info.dtype) + " " +
                  shape_to_string(info.shape) + ")");
    }
    admitted.push_back(admit_input(m, info, given->second, symbols));
    admitted_ids.push_back(id);
  }

  auto start = std::chrono::steady_clock::now();
  NamedTensors results;
  RunLimits limits{options.max_threads > 0 ? std::min(options.max_threads, Engine::max_threads())
                                           : Engine::max_threads(),
                   m.options.max_tensor_bytes, m.name, options.profile || Profiler::enabled()};
  engine_arena(options.max_threads).execute([&] {
    impl_->arena.begin_run(signature_of(admitted));
    {
      GraphRun run(g, &impl_->arena, nullptr, limits);
      for (size_t i = 0; i < admitted.size(); ++i) run.set_input(admitted_ids[i], admitted[i]);
      run.run();
      for (size_t i : wanted) {
        Tensor t = run.output(i);
        bool widened = m.outputs[i].dtype == DType::f16 && t.dtype() == DType::f32;
        results[m.outputs[i].name] = widened ? t.to(DType::f16) : t;
      }
    }
    impl_->arena.end_run();
  });
  impl_->stats.arena_peak_bytes = impl_->arena.footprint_bytes();
  impl_->stats.intermediate_bytes = impl_->arena.requested_bytes();
  impl_->stats.milliseconds =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return results;
}

const RunStats& Session::last_stats() const { return impl_->stats; }
const Model& Session::model() const { return *impl_->model; }

}  // namespace neuropipe::nn
