#pragma once
// A NodeInstance backed by a plugin library: owns the plugin's np_node and its
// Context, keeps the library loaded, serialises calls when the plugin is not
// concurrent and turns NP_ERROR into neuropipe::Error naming node and plugin.
#include <memory>
#include <mutex>
#include <string>

#include "neuropipe/plugin/context.hpp"
#include "neuropipe/plugin/host.hpp"
#include "plugin/plugin_library.hpp"

namespace neuropipe::plugin {

class LoadedNode final : public NodeInstance {
 public:
  // `params` must already be validated (defaults filled in).
  LoadedNode(std::shared_ptr<const PluginLibrary> library, std::string node_name, const nlohmann::json& params,
             std::shared_ptr<HostServices> services);
  ~LoadedNode() override;

  const PluginInfo& info() const override { return library_->info(); }
  const std::string& node_name() const override { return context_.node_name(); }
  void process(Frame& frame) override;
  void process_batch(std::span<Frame* const> frames) override;
  void finish() override;

 private:
  // Calls into the plugin under the node's lock (unless it is concurrent)
  // and throws its message on NP_ERROR.
  template <class Call>
  void call(const char* what, Call&& call);

  std::shared_ptr<const PluginLibrary> library_;
  const np_plugin_descriptor& api_;
  Context context_;
  np_node* node_ = nullptr;
  std::mutex serial_;  // used when the plugin is not NP_FLAG_CONCURRENT
};

}  // namespace neuropipe::plugin
