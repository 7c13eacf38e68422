// Class names for models. Label files are store entries (fetched and verified
// like models) or files under assets/ (our own, e.g. VOC-21 names).
#include <algorithm>
#include <cctype>
#include <fstream>

#include "neuropipe/error.hpp"
#include "neuropipe/models/store.hpp"

namespace neuropipe::models {

namespace fs = std::filesystem;

namespace {

// `line_format: index,name` files (ImageNet's Labels.txt) number each line;
// the number must match the line so a shuffled file cannot go unnoticed.
std::string strip_index(const std::string& line, size_t expected, const fs::path& file, size_t line_number) {
  const auto comma = line.find(',');
  const std::string index = line.substr(0, comma);
  if (comma == std::string::npos || index.empty() ||
      !std::all_of(index.begin(), index.end(), [](unsigned char c) { return std::isdigit(c); }) ||
      std::stoul(index) != expected)
    throw Error(file.string() + ":" + std::to_string(line_number) + ": expected '" +
                std::to_string(expected) + ",<name>'");
  return line.substr(comma + 1);
}

std::vector<std::string> read_label_file(const fs::path& file, bool indexed) {
  std::ifstream in(file);
  if (!in) throw Error("cannot read label file " + file.string());
  std::vector<std::string> labels;
  size_t line_number = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    labels.push_back(indexed ? strip_index(line, labels.size(), file, line_number) : line);
  }
  if (labels.empty()) throw Error("label file " + file.string() + " has no labels");
  return labels;
}

}  // namespace

std::vector<std::string> ModelStore::labels(const std::string& name) {
  const ModelEntry& entry = manifest_.at(name);
  if (entry.task == "labels")
    return read_label_file(fetch(name), entry.extra.value("line_format", "") == "index,name");
  if (entry.labels.empty()) throw Error("model '" + name + "' has no labels in " + manifest_.origin());
  if (manifest_.find(entry.labels)) return labels(entry.labels);
  const fs::path own = config_.assets_dir / entry.labels;
  if (!fs::exists(own))
    throw Error("labels '" + entry.labels + "' of model '" + name +
                "' are neither a store entry nor a file (" + own.string() + ")");
  return read_label_file(own, false);
}

}  // namespace neuropipe::models
