#pragma once
// The contract between the executor and every operator kernel.
//
// One op = one file under nn/ops/ that registers a KernelFactory for an op
// type and an opset range. The factory runs once at model load with the
// node's attributes and its constant inputs (weights), so a kernel can
// validate attributes and pre-pack weights there and throw a clear error;
// Kernel::run is then called for every inference, possibly from many threads
// at once (it must be const and keep no per-call state in members).
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "neuropipe/error.hpp"
#include "neuropipe/nn/tensor.hpp"
#include "nn/attributes.hpp"

namespace neuropipe::nn {

struct Graph;  // nn/graph.hpp

// Static type of a value known at load time (dims may be -1).
struct ValueType {
  DType dtype = DType::f32;
  std::optional<Shape> shape;   // nullopt: rank unknown
};

// Everything a factory may look at while building a kernel for one node.
class KernelBuildContext {
 public:
  virtual ~KernelBuildContext() = default;
  virtual const std::string& node_name() const = 0;
  virtual const std::string& op_type() const = 0;
  virtual int opset() const = 0;                      // default-domain opset of the model
  virtual const Attributes& attributes() const = 0;
  virtual size_t num_inputs() const = 0;              // including trailing optional ones given as ""
  virtual bool has_input(size_t i) const = 0;         // false when absent or ""
  virtual const Tensor* constant_input(size_t i) const = 0;  // nullptr unless an initializer/folded constant
  virtual ValueType input_type(size_t i) const = 0;
  virtual size_t num_outputs() const = 0;
  // Subgraphs (If/Loop branches) by attribute name; nullptr when absent.
  virtual const Graph* subgraph(const std::string& attr) const = 0;
  // Throws neuropipe::Error("node 'X' (Op): <message>").
  [[noreturn]] virtual void fail(const std::string& message) const = 0;
  // A valid node using a feature we do not implement (e.g. training mode):
  // throws UnsupportedOperator naming node, op and opset, counted as
  // 'unsupported' (not 'failed') by the conformance driver.
  [[noreturn]] virtual void unsupported(const std::string& message) const;
};

// Per-call access to inputs and outputs.
class KernelContext {
 public:
  virtual ~KernelContext() = default;
  virtual size_t num_inputs() const = 0;
  virtual const Tensor* input(size_t i) const = 0;    // nullptr when the optional input is absent
  virtual size_t num_outputs() const = 0;
  // Output i, with storage from the run arena (or heap for data-dependent sizes).
  virtual Tensor& output(size_t i, DType dtype, const Shape& shape) = 0;
  // Output i as a view of an input (Reshape, Squeeze, Identity: no copy).
  virtual void output_alias(size_t i, const Tensor& view) = 0;
  // Scratch memory valid until run() returns.
  virtual void* scratch(size_t bytes) = 0;
  virtual int max_threads() const = 0;
  // Runs a subgraph (If branches) with the given inputs; used by control-flow ops.
  virtual std::vector<Tensor> run_subgraph(const Graph& g, std::span<const Tensor> inputs) = 0;
  [[noreturn]] virtual void fail(const std::string& message) const = 0;
  // Like KernelBuildContext::unsupported, for what only the run-time inputs reveal.
  [[noreturn]] virtual void unsupported(const std::string& message) const;
};

class Kernel {
 public:
  virtual ~Kernel() = default;
  virtual void run(KernelContext& ctx) const = 0;
  // True when the factory kept its own copy of constant input i (e.g. packed
  // GEMM panels), keeps no reference to the original tensor and run() never
  // reads input i: the planner then frees the original once every reader
  // agrees, so weights are not held twice (raw and packed).
  virtual bool owns_constant_input(size_t /*i*/) const { return false; }
};

using KernelFactory = std::function<std::unique_ptr<Kernel>(const KernelBuildContext&)>;

// Registry keyed by (domain, op type, opset range). Later registrations for an
// overlapping range with a higher `priority` win (fast kernels over reference).
struct KernelRegistration {
  std::string domain;        // "" = ai.onnx
  std::string op_type;
  int since_version = 1;
  int until_version = 1000;  // inclusive
  KernelFactory factory;
  int priority = 0;
};

void register_kernel(KernelRegistration reg);
const KernelRegistration* find_kernel(const std::string& domain, const std::string& op_type, int opset);
std::vector<std::string> registered_ops();

struct KernelRegistrar {
  explicit KernelRegistrar(KernelRegistration reg) { register_kernel(std::move(reg)); }
};

#define NP_CONCAT_INNER(a, b) a##b
#define NP_CONCAT(a, b) NP_CONCAT_INNER(a, b)
// NP_REGISTER_KERNEL("Relu", 6, 1000, [](const KernelBuildContext& b) { return std::make_unique<Relu>(b); });
#define NP_REGISTER_KERNEL(op, since, until, factory) \
  static ::neuropipe::nn::KernelRegistrar NP_CONCAT(np_kernel_reg_, __LINE__)( \
      ::neuropipe::nn::KernelRegistration{"", op, since, until, factory, 0})
#define NP_REGISTER_KERNEL_DOMAIN(domain, op, since, until, factory) \
  static ::neuropipe::nn::KernelRegistrar NP_CONCAT(np_kernel_reg_, __LINE__)( \
      ::neuropipe::nn::KernelRegistration{domain, op, since, until, factory, 0})

}  // namespace neuropipe::nn
