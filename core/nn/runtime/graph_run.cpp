#include "nn/runtime/graph_run.hpp"

#include <chrono>
#include <cstring>
#include <list>

#include "neuropipe/nn/errors.hpp"
#include "nn/runtime/profile_recorder.hpp"

namespace neuropipe::nn {

// KernelContext for one node of one run.
class NodeContext final : public KernelContext {
 public:
  NodeContext(GraphRun& run, const Node& node) : run_(run), node_(node) {}
  ~NodeContext() override {
    for (int b : scratch_blocks_) run_.arena_->release(b);
  }

  size_t num_inputs() const override { return node_.inputs.size(); }
  const Tensor* input(size_t i) const override {
    if (i >= node_.inputs.size() || node_.inputs[i] == kNoValue) return nullptr;
    return run_.lookup(node_.inputs[i]);
  }
  size_t num_outputs() const override { return node_.outputs.size(); }

  Tensor& output(size_t i, DType dtype, const Shape& shape) override {
    if (i < node_.outputs.size() && node_.outputs[i] == kNoValue) {
      // Absent optional output (e.g. LSTM's Y given as ""): kernels may still write it; it is discarded.
      check_size(dtype, shape, i);
      discarded_.push_back(Tensor::empty(dtype, shape));
      return discarded_.back();
    }
    int v = checked_output(i);
    for (int64_t d : shape)
      if (d < 0) fail("output " + std::to_string(i) + " has a negative dimension " + shape_to_string(shape));
    check_size(dtype, shape, i);
    run_.release(v);  // a kernel may call output() twice; the first buffer goes back
    Tensor& slot = run_.values_[v];
    bool heap = !run_.arena_ || dtype == DType::string || run_.graph_.is_output(v);
    if (heap) {
      slot = Tensor::empty(dtype, shape);
    } else {
      Arena::Allocation a = run_.arena_->allocate(static_cast<size_t>(shape_numel(shape)) * dtype_size(dtype));
      slot = Tensor::view(dtype, shape, a.data);
      run_.block_of_[v] = a.block;
    }
    return slot;
  }

  void output_alias(size_t i, const Tensor& view) override {
    if (i < node_.outputs.size() && node_.outputs[i] == kNoValue) return;  // absent: nothing to alias
    int v = checked_output(i);
    run_.release(v);
    run_.values_[v] = view;
    if (run_.arena_ && view.raw()) {
      int block = run_.arena_->block_containing(view.raw());
      if (block >= 0) run_.arena_->retain(block);  // the alias keeps its source's block alive
      run_.block_of_[v] = block;
    }
  }

  void* scratch(size_t bytes) override {
    if (!run_.arena_) {
      scratch_heap_.push_back(Tensor::empty(DType::u8, {static_cast<int64_t>(bytes)}));
      return scratch_heap_.back().raw();
    }
    Arena::Allocation a = run_.arena_->allocate(bytes);
    scratch_blocks_.push_back(a.block);
    return a.data;
  }

  int max_threads() const override { return run_.limits_.max_threads; }

  std::vector<Tensor> run_subgraph(const Graph& g, std::span<const Tensor> inputs) override {
    if (inputs.size() != g.inputs.size())
      fail("subgraph '" + g.name + "' takes " + std::to_string(g.inputs.size()) + " inputs, got " +
           std::to_string(inputs.size()));
    GraphRun sub(g, run_.arena_, &run_, run_.limits_);
    for (size_t i = 0; i < inputs.size(); ++i) sub.set_input(g.inputs[i], inputs[i]);
    sub.run();
    std::vector<Tensor> outs;
    for (size_t i = 0; i < g.outputs.size(); ++i) outs.push_back(sub.output(i));
    return outs;
  }

  [[noreturn]] void fail(const std::string& message) const override {
    throw Error(run_.limits_.model_name + ": " + describe(node_) + ": " + message);
  }
  [[noreturn]] void unsupported(const std::string& message) const override {
    throw UnsupportedOperator(run_.limits_.model_name + ": " + describe(node_) + ", opset " +
                              std::to_string(node_.opset) + ": " + message);
  }

 private:
  int checked_output(size_t i) const {
    if (i >= node_.outputs.size()) fail("kernel wrote output " + std::to_string(i) + " of " + std::to_string(node_.outputs.size()));
    int v = node_.outputs[i];
    if (v == kNoValue) fail("kernel wrote the absent optional output " + std::to_string(i));
    return v;
  }
  void check_size(DType dtype, const Shape& shape, size_t i) const {
    long double bytes = dtype_size(dtype);
    for (int64_t d : shape) bytes *= static_cast<long double>(d);
    if (bytes > static_cast<long double>(run_.limits_.max_tensor_bytes))
      fail("output " + std::to_string(i) + " of shape " + shape_to_string(shape) +
           " exceeds LoadOptions::max_tensor_bytes");
  }

  GraphRun& run_;
  const Node& node_;
  std::vector<int> scratch_blocks_;
  std::vector<Tensor> scratch_heap_;
  // list: references handed out stay valid, and an empty one allocates nothing (a
  // std::deque allocates on construction, twice per node per run)
  std::list<Tensor> discarded_;
};

GraphRun::GraphRun(const Graph& graph, Arena* arena, const GraphRun* outer, const RunLimits& limits)
    : graph_(graph), arena_(arena), outer_(outer), limits_(limits), values_(graph.values.size()),
      block_of_(graph.values.size(), -1) {}

GraphRun::~GraphRun() {
  for (size_t v = 0; v < block_of_.size(); ++v) release(static_cast<int>(v));
}

void GraphRun::set_input(int value, Tensor t) { values_[value] = std::move(t); }

const Tensor* GraphRun::lookup(int value) const {
  const Value& v = graph_.values[value];
  if (v.constant) return &*v.constant;
  if (v.from_outer_scope) {
    if (!outer_) throw Error(limits_.model_name + ": value '" + v.name + "' of an outer scope is not available");
    return outer_->lookup_by_name(v.name);
  }
  const Tensor& t = values_[value];
  if (!t.defined()) {
    if (v.default_value) return &*v.default_value;
    throw Error(limits_.model_name + ": value '" + v.name + "' is read before it was computed");
  }
  return &t;
}

const Tensor* GraphRun::lookup_by_name(const std::string& name) const {
  int id = graph_.find(name);
  if (id == kNoValue) {
    if (!outer_) throw Error(limits_.model_name + ": value '" + name + "' is not defined in any enclosing graph");
    return outer_->lookup_by_name(name);
  }
  return lookup(id);
}

void GraphRun::release(int value) {
  if (block_of_[value] >= 0 && arena_) arena_->release(block_of_[value]);
  block_of_[value] = -1;
}

void GraphRun::release_dead_after(size_t index) {
  for (int v : graph_.release_after[index]) {
    release(v);
    values_[v] = Tensor();
  }
}

void GraphRun::run() {
  if (limits_.profile) return run_profiled();
  for (size_t i = 0; i < graph_.nodes.size(); ++i) {
    run_node(i);
    release_dead_after(i);
  }
}

// The same loop, timing each kernel call for nn::Profiler.
void GraphRun::run_profiled() {
  using Clock = std::chrono::steady_clock;
  auto ms_between = [](Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
  };
  std::vector<double> node_ms(graph_.nodes.size(), 0.0);
  const auto start = Clock::now();
  for (size_t i = 0; i < graph_.nodes.size(); ++i) {
    const auto t0 = Clock::now();
    run_node(i);
    node_ms[i] = ms_between(t0, Clock::now());
    release_dead_after(i);
  }
  record_profile(limits_.model_name, graph_, node_ms, ms_between(start, Clock::now()), outer_ == nullptr);
}

void GraphRun::run_node(size_t index) {
  const Node& node = graph_.nodes[index];
  NodeContext ctx(*this, node);
  try {
    node.kernel->run(ctx);
  } catch (const Error&) {
    throw;
  } catch (const std::bad_alloc&) {
    ctx.fail("out of memory");
  } catch (const std::exception& e) {
    ctx.fail(e.what());
  }
  for (size_t i = 0; i < node.outputs.size(); ++i)
    if (node.outputs[i] != kNoValue && !values_[node.outputs[i]].defined())
      ctx.fail("kernel did not produce output " + std::to_string(i));
}

std::vector<Tensor> GraphRun::run_single(const Node& node) {
  NodeContext ctx(*this, node);
  node.kernel->run(ctx);
  std::vector<Tensor> outs;
  for (int v : node.outputs) outs.push_back(v == kNoValue ? Tensor() : values_[v]);
  return outs;
}

Tensor GraphRun::output(size_t i) const {
  const Tensor* t = lookup(graph_.outputs[i]);
  // Arena blocks, constants and user inputs are not ours to hand out: copy.
  bool owned = block_of_[graph_.outputs[i]] < 0 && !graph_.values[graph_.outputs[i]].constant &&
               !graph_.values[graph_.outputs[i]].from_outer_scope && t == &values_[graph_.outputs[i]];
  return owned ? *t : t->clone();
}

}  // namespace neuropipe::nn
