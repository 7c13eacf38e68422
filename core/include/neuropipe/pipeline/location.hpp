#pragma once
// Where something was written in a pipeline file. Every validation error
// starts with "file:line:column:" so editors and terminals can jump to it.
#include <string>

namespace neuropipe::pipeline {

struct Location {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown (e.g. a value set with --set)
  int column = 0;  // 1-based

  std::string str() const {
    if (line == 0) return file.empty() ? std::string("<command line>") : file;
    return file + ":" + std::to_string(line) + ":" + std::to_string(column);
  }
};

}  // namespace neuropipe::pipeline
