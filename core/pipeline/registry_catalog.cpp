#include "neuropipe/pipeline/catalog.hpp"

namespace neuropipe::pipeline {

std::vector<std::string> RegistryCatalog::plugin_names() const {
  std::vector<std::string> names;
  for (const auto& info : registry_.list()) names.push_back(info.name);
  return names;
}

}  // namespace neuropipe::pipeline
