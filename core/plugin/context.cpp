#include "neuropipe/plugin/context.hpp"

#include <spdlog/spdlog.h>

#include "plugin/host_services.hpp"

namespace neuropipe::plugin {

struct Context::Impl {
  std::string node_name;
  std::string plugin_name;
  std::shared_ptr<spdlog::logger> logger;
  std::shared_ptr<HostServices> services;
};

namespace {
// A logger named after the node that writes wherever the process logs, not
// registered globally: two pipelines may each have a node called "detect".
std::shared_ptr<spdlog::logger> node_logger(const std::string& node_name) {
  auto process_logger = spdlog::default_logger();
  auto logger = std::make_shared<spdlog::logger>(node_name, process_logger->sinks().begin(),
                                                 process_logger->sinks().end());
  logger->set_level(process_logger->level());
  return logger;
}
}  // namespace

Context::Context(std::string node_name, std::string plugin_name, std::shared_ptr<HostServices> services)
    : impl_(std::make_unique<Impl>()) {
  impl_->logger = node_logger(node_name);
  impl_->node_name = std::move(node_name);
  impl_->plugin_name = std::move(plugin_name);
  impl_->services = services ? std::move(services) : std::make_shared<HostServices>();
}

Context::~Context() = default;

const std::string& Context::node_name() const { return impl_->node_name; }
const std::string& Context::plugin_name() const { return impl_->plugin_name; }
spdlog::logger& Context::log() const { return *impl_->logger; }
models::ModelStore& Context::models() const { return impl_->services->models(); }

std::shared_ptr<const nn::Model> Context::shared_model(const std::filesystem::path& file,
                                                       const ModelLoader& load) const {
  return impl_->services->shared_model(file, load);
}

}  // namespace neuropipe::plugin
