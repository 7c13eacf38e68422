#include <algorithm>
#include <mutex>

#include "neuropipe/nn/errors.hpp"
#include "nn/kernel.hpp"

namespace neuropipe::nn {

namespace {
struct Registry {
  std::mutex mutex;
  std::vector<KernelRegistration> entries;
};
Registry& registry() {
  static Registry r;
  return r;
}
}  // namespace

void register_kernel(KernelRegistration reg) {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  r.entries.push_back(std::move(reg));
}

const KernelRegistration* find_kernel(const std::string& domain, const std::string& op_type, int opset) {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  const KernelRegistration* best = nullptr;
  for (const auto& e : r.entries) {
    if (e.domain != domain || e.op_type != op_type) continue;
    if (opset < e.since_version || opset > e.until_version) continue;
    if (!best || e.priority > best->priority) best = &e;
  }
  return best;
}

void KernelBuildContext::unsupported(const std::string& message) const {
  throw UnsupportedOperator("node '" + node_name() + "' (" + op_type() + ", opset " + std::to_string(opset()) +
                            "): " + message);
}

void KernelContext::unsupported(const std::string& message) const { throw UnsupportedOperator(message); }

std::vector<std::string> registered_ops() {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  std::vector<std::string> ops;
  for (const auto& e : r.entries) ops.push_back(e.domain.empty() ? e.op_type : e.domain + "::" + e.op_type);
  std::sort(ops.begin(), ops.end());
  ops.erase(std::unique(ops.begin(), ops.end()), ops.end());
  return ops;
}

}  // namespace neuropipe::nn
