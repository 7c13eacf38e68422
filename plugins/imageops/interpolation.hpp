#pragma once
// Interpolation names shared by the geometric image operations.
#include <map>
#include <string>
#include <vector>

#include <opencv2/imgproc.hpp>

namespace neuropipe::imageops {

inline const std::map<std::string, int>& interpolations() {
  static const std::map<std::string, int> table = {{"nearest", cv::INTER_NEAREST},
                                                   {"linear", cv::INTER_LINEAR},
                                                   {"cubic", cv::INTER_CUBIC},
                                                   {"area", cv::INTER_AREA},
                                                   {"lanczos", cv::INTER_LANCZOS4}};
  return table;
}

inline std::vector<std::string> interpolation_names() {
  std::vector<std::string> names;
  for (const auto& [name, flag] : interpolations()) names.push_back(name);
  return names;
}

}  // namespace neuropipe::imageops
