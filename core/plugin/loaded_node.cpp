#include "plugin/loaded_node.hpp"

#include <array>
#include <optional>

#include "neuropipe/error.hpp"

namespace neuropipe::plugin {

namespace {
constexpr size_t kMessageSize = 4096;

np_frame* handle(Frame* frame) { return reinterpret_cast<np_frame*>(frame); }
np_context* handle(Context& context) { return reinterpret_cast<np_context*>(&context); }
}  // namespace

LoadedNode::LoadedNode(std::shared_ptr<const PluginLibrary> library, std::string node_name,
                       const nlohmann::json& params, std::shared_ptr<HostServices> services)
    : library_(std::move(library)),
      api_(library_->descriptor()),
      context_(std::move(node_name), library_->info().name, std::move(services)) {
  const std::string params_json = params.dump();
  call("create", [&](char* err, size_t size) {
    return api_.create(params_json.c_str(), handle(context_), &node_, err, size);
  });
}

LoadedNode::~LoadedNode() {
  if (node_) api_.destroy(node_);
}

template <class Call>
void LoadedNode::call(const char* what, Call&& plugin_call) {
  std::array<char, kMessageSize> message{};
  std::optional<std::lock_guard<std::mutex>> lock;
  if (!info().concurrent) lock.emplace(serial_);
  if (plugin_call(message.data(), message.size()) == NP_OK) return;
  std::string text(message.data());
  if (text.empty()) text = std::string(what) + " failed without a message";
  throw Error("node '" + node_name() + "' (plugin " + info().name + "): " + text);
}

void LoadedNode::process(Frame& frame) {
  call("process", [&](char* err, size_t size) {
    return api_.process(node_, handle(&frame), handle(context_), err, size);
  });
}

void LoadedNode::process_batch(std::span<Frame* const> frames) {
  if (!api_.process_batch) {
    for (Frame* frame : frames) process(*frame);
    return;
  }
  call("process_batch", [&](char* err, size_t size) {
    auto handles = reinterpret_cast<np_frame* const*>(frames.data());
    return api_.process_batch(node_, handles, frames.size(), handle(context_), err, size);
  });
}

void LoadedNode::finish() {
  if (!api_.finish) return;
  call("finish", [&](char* err, size_t size) { return api_.finish(node_, handle(context_), err, size); });
}

}  // namespace neuropipe::plugin
