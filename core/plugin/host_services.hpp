#pragma once
// What every node of one PluginRegistry shares: the model store (opened on
// first use, so pipelines without neural nodes never need a manifest) and
// the cache that makes nodes asking for the same ONNX file share one Model.
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include "neuropipe/models/store.hpp"
#include "neuropipe/nn/model.hpp"

namespace neuropipe::plugin {

class HostServices {
 public:
  HostServices() = default;
  explicit HostServices(std::shared_ptr<models::ModelStore> store) : store_(std::move(store)) {}

  models::ModelStore& models();
  void set_models(std::shared_ptr<models::ModelStore> store);

  std::shared_ptr<const nn::Model> shared_model(const std::filesystem::path& file,
                                                const std::function<std::shared_ptr<const nn::Model>()>& load);

 private:
  std::mutex store_mutex_;
  std::shared_ptr<models::ModelStore> store_;
  // Loading holds the lock so two nodes never load the same file twice.
  std::mutex models_mutex_;
  std::map<std::filesystem::path, std::weak_ptr<const nn::Model>> models_;
};

}  // namespace neuropipe::plugin
