#pragma once
// The bridge between a C++ Node class and the C ABI (abi.h): a static
// descriptor built from the PluginDescription, and C callbacks that construct
// and run the node. No exception crosses this boundary: every callback turns
// one into NP_ERROR plus its message. Plugin authors only write the macro:
//
//   NEUROPIPE_PLUGIN(MyNode, {.name = "my_node", .version = "1.0.0", ...});
#include <cstdio>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "neuropipe/plugin/abi.h"
#include "neuropipe/plugin/description.hpp"
#include "neuropipe/plugin/node.hpp"

namespace neuropipe::plugin::detail {

static_assert(std::string_view(NEUROPIPE_PLUGIN_ENTRY_SYMBOL) == "neuropipe_plugin_entry",
              "NEUROPIPE_PLUGIN below must define the symbol abi.h names");

inline int report(char* err, size_t err_size, const char* message) noexcept {
  if (err != nullptr && err_size > 0) std::snprintf(err, err_size, "%s", message);
  return NP_ERROR;
}

// Runs `body`, turning any exception into NP_ERROR + message.
template <class Body>
int guarded(char* err, size_t err_size, Body&& body) noexcept {
  try {
    body();
    return NP_OK;
  } catch (const std::exception& e) {
    return report(err, err_size, e.what());
  } catch (...) {
    return report(err, err_size, "unknown exception (not a std::exception)");
  }
}

// Handles are the host's own objects (abi.h): a frame is a neuropipe::Frame,
// a context a plugin::Context, a node the Node this adapter created.
inline Frame& as_frame(np_frame* f) { return *reinterpret_cast<Frame*>(f); }
inline Context& as_context(np_context* c) { return *reinterpret_cast<Context*>(c); }
inline Node& as_node(np_node* n) { return *reinterpret_cast<Node*>(n); }

template <class NodeClass>
struct Callbacks {
  static_assert(std::is_base_of_v<Node, NodeClass>, "a plugin class must derive from neuropipe::plugin::Node");

  static int create(const char* params_json, np_context* ctx, np_node** out, char* err, size_t n) noexcept {
    return guarded(err, n, [&] {
      Context& context = as_context(ctx);
      Params params(nlohmann::json::parse(params_json), context.node_name());
      std::unique_ptr<Node> node;
      if constexpr (std::is_constructible_v<NodeClass, const Params&, Context&>)
        node = std::make_unique<NodeClass>(params, context);
      else
        node = std::make_unique<NodeClass>(params);
      *out = reinterpret_cast<np_node*>(node.release());  // owned by the host until destroy()
    });
  }
  static void destroy(np_node* node) noexcept { std::unique_ptr<Node>(reinterpret_cast<Node*>(node)).reset(); }
  static int process(np_node* node, np_frame* frame, np_context* ctx, char* err, size_t n) noexcept {
    return guarded(err, n, [&] { as_node(node).process(as_frame(frame), as_context(ctx)); });
  }
  static int process_batch(np_node* node, np_frame* const* frames, size_t count, np_context* ctx, char* err,
                           size_t n) noexcept {
    return guarded(err, n, [&] {
      std::span<Frame* const> batch(reinterpret_cast<Frame* const*>(frames), count);
      as_node(node).process_batch(batch, as_context(ctx));
    });
  }
  static int finish(np_node* node, np_context* ctx, char* err, size_t n) noexcept {
    return guarded(err, n, [&] { as_node(node).finish(as_context(ctx)); });
  }
};

// Owns the C descriptor and every string it points into. Constructed in
// place as a function-local static, so the pointers it hands out stay valid
// as long as the library stays loaded.
class DescriptorStorage {
 public:
  template <class NodeClass>
  struct For {};

  template <class NodeClass>
  DescriptorStorage(PluginDescription description, For<NodeClass>) : description_(std::move(description)) {
    fill_params();
    for (const auto& r : description_.reads) reads_.push_back(r.c_str());
    for (const auto& w : description_.writes) writes_.push_back(w.c_str());
    const auto& d = description_;
    descriptor_.abi_version = NEUROPIPE_PLUGIN_ABI_VERSION;
    descriptor_.struct_size = sizeof(np_plugin_descriptor);
    descriptor_.name = d.name.c_str();
    descriptor_.version = d.version.c_str();
    descriptor_.description = d.description.c_str();
    descriptor_.params = params_.data();
    descriptor_.num_params = params_.size();
    descriptor_.reads = reads_.data();
    descriptor_.num_reads = reads_.size();
    descriptor_.writes = writes_.data();
    descriptor_.num_writes = writes_.size();
    descriptor_.flags = (d.concurrent ? NP_FLAG_CONCURRENT : 0u) | (d.ordered ? NP_FLAG_ORDERED : 0u);
    descriptor_.create = &Callbacks<NodeClass>::create;
    descriptor_.destroy = &Callbacks<NodeClass>::destroy;
    descriptor_.process = &Callbacks<NodeClass>::process;
    descriptor_.process_batch = d.batched ? &Callbacks<NodeClass>::process_batch : nullptr;
    descriptor_.finish = &Callbacks<NodeClass>::finish;
  }
  DescriptorStorage(const DescriptorStorage&) = delete;
  DescriptorStorage& operator=(const DescriptorStorage&) = delete;

  const np_plugin_descriptor* get() const { return &descriptor_; }

 private:
  void fill_params() {
    // Text first, pointers after: the vectors must not grow once pointed into.
    for (const ParamSpec& p : description_.params) {
      defaults_.push_back(p.default_value ? p.default_value->dump() : std::string());
      std::string joined;
      for (const std::string& c : p.choices) joined += (joined.empty() ? "" : ",") + c;
      choices_.push_back(std::move(joined));
    }
    for (size_t i = 0; i < description_.params.size(); ++i) {
      const ParamSpec& p = description_.params[i];
      params_.push_back(np_param_desc{p.name.c_str(), p.type, p.default_value ? defaults_[i].c_str() : nullptr,
                                      p.doc.c_str(), p.choices.empty() ? nullptr : choices_[i].c_str(),
                                      p.range.has_value() ? 1 : 0, p.range ? p.range->first : 0.0,
                                      p.range ? p.range->second : 0.0});
    }
  }

  PluginDescription description_;
  std::vector<std::string> defaults_;  // JSON text of each default
  std::vector<std::string> choices_;   // comma-joined choices
  std::vector<np_param_desc> params_;
  std::vector<const char*> reads_;
  std::vector<const char*> writes_;
  np_plugin_descriptor descriptor_{};
};

// The body of the exported entry function. A description that cannot be
// built (an exception) yields NULL, which the host reports for this file.
template <class NodeClass, class MakeDescription>
const np_plugin_descriptor* entry(MakeDescription make) noexcept {
  try {
    static const DescriptorStorage storage(make(), DescriptorStorage::For<NodeClass>{});
    return storage.get();
  } catch (...) {
    return nullptr;
  }
}

}  // namespace neuropipe::plugin::detail

// Exports the plugin entry point for NodeClass. The remaining arguments are a
// braced PluginDescription initialiser; designated initialisers may leave
// members out, so GCC's -Wmissing-field-initializers is silenced for it.
#define NEUROPIPE_PLUGIN(NodeClass, ...)                                                           \
  _Pragma("GCC diagnostic push") _Pragma("GCC diagnostic ignored \"-Wmissing-field-initializers\"") \
  extern "C" __attribute__((visibility("default"))) const np_plugin_descriptor*                    \
  neuropipe_plugin_entry(void) {                                                                   \
    return ::neuropipe::plugin::detail::entry<NodeClass>(                                          \
        [] { return ::neuropipe::plugin::PluginDescription __VA_ARGS__; });                        \
  }                                                                                                \
  _Pragma("GCC diagnostic pop")
