#pragma once
// What the host gives a node besides frames: its name, a logger named after
// it, the shared neural engine and the model store. One Context per node,
// valid for the node's whole life; every method is thread-safe.
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include <spdlog/logger.h>

#include "neuropipe/models/store.hpp"
#include "neuropipe/nn/model.hpp"

namespace neuropipe::plugin {

class HostServices;  // registry-wide: model cache and model store (host side)

class Context {
 public:
  Context(std::string node_name, std::string plugin_name, std::shared_ptr<HostServices> services);
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  const std::string& node_name() const;
  const std::string& plugin_name() const;
  // An spdlog logger named after the node, writing where the process logs.
  spdlog::logger& log() const;

  // The model store (assets/models.yaml, cache, mirror), opened on first use.
  models::ModelStore& models() const;
  // An ONNX file loaded once and shared by every node of the registry that
  // asks for it (a Model is immutable and thread-safe; give each thread its
  // own nn::Session).
  std::shared_ptr<const nn::Model> load_model(const std::filesystem::path& onnx_file) const {
    return shared_model(onnx_file, [&] { return nn::Model::load(onnx_file); });
  }
  // A store model by name: fetched (sha256-verified), then loaded and shared.
  std::shared_ptr<const nn::Model> load_store_model(const std::string& store_name) const {
    return load_model(models().fetch(store_name));
  }

 private:
  using ModelLoader = std::function<std::shared_ptr<const nn::Model>()>;
  // The cached model for `file`, or load() it once (inline callers above
  // keep the engine call on the plugin's side of the library boundary).
  std::shared_ptr<const nn::Model> shared_model(const std::filesystem::path& file, const ModelLoader& load) const;

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace neuropipe::plugin
