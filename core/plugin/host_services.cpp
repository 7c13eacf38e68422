#include "plugin/host_services.hpp"

namespace neuropipe::plugin {

models::ModelStore& HostServices::models() {
  std::lock_guard lock(store_mutex_);
  if (!store_) store_ = std::make_shared<models::ModelStore>(models::StoreConfig::from_environment());
  return *store_;
}

void HostServices::set_models(std::shared_ptr<models::ModelStore> store) {
  std::lock_guard lock(store_mutex_);
  store_ = std::move(store);
}

std::shared_ptr<const nn::Model> HostServices::shared_model(
    const std::filesystem::path& file, const std::function<std::shared_ptr<const nn::Model>()>& load) {
  std::error_code ec;
  std::filesystem::path key = std::filesystem::weakly_canonical(file, ec);
  if (ec) key = file;
  std::lock_guard lock(models_mutex_);
  if (auto cached = models_[key].lock()) return cached;
  auto model = load();
  models_[key] = model;
  return model;
}

}  // namespace neuropipe::plugin
